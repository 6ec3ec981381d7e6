import type { Kysely } from 'kysely';
import { markContentChanged } from '../cache/content-version';
import type { DB } from '../db/schema';
import { markdownExcerpt } from '../markdown';
import { readSetting, writeSetting } from '../settings/settings.repository';
import { listEventSummariesAfter, setEventSummary } from './events.repository';
import { SUMMARY_LENGTH } from './events.service';

/**
 * Which way event summaries (the plain text on cards) are made. Raise it when
 * `markdownExcerpt` changes what it writes, and every stored summary is made again once.
 * 2 (2026-12-02): a list's items are kept apart by "; " instead of running together as " - ".
 */
export const SUMMARY_FORMAT = '2';
export const SUMMARY_FORMAT_SETTING = 'events.summary_format';

/**
 * Makes every event's summary again from its description when they were made an older way, in
 * pages of `batchSize`, then records that they are up to date (so later runs cost one read).
 * Safe to run on several instances at once: each writes the same text. Returns how many
 * summaries changed.
 */
export async function refreshEventSummaries(db: Kysely<DB>, batchSize = 500): Promise<number> {
	if ((await readSetting(db, SUMMARY_FORMAT_SETTING)) === SUMMARY_FORMAT) return 0;
	let changed = 0;
	let after = '';
	for (;;) {
		const rows = await listEventSummariesAfter(db, after, batchSize);
		if (!rows.length) break;
		for (const row of rows) {
			const summary = markdownExcerpt(row.description, SUMMARY_LENGTH);
			if (summary === row.summary) continue;
			await setEventSummary(db, row.id, summary);
			changed++;
		}
		after = rows.at(-1)!.id;
	}
	// Cached pages show the old summaries until the content changes.
	if (changed) await markContentChanged(db);
	await writeSetting(db, SUMMARY_FORMAT_SETTING, SUMMARY_FORMAT);
	return changed;
}
