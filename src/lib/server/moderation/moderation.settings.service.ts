import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { fieldErrors, wholeNumber, type FieldErrors, type FormValues } from '../forms';
import { readPostSettings, writePostSettings } from '../posts/posts.service';
import { writeSetting } from '../settings/settings.repository';
import { canModerate } from './moderation.permissions';
import { HIDE_AFTER_REPORTS_SETTING, readHideAfterReports } from './moderation.settings';

/** What curators choose about trust and reports (/moderation/settings). */
export interface TrustSettings {
	/** How many of a member's first posts wait for a curator. */
	firstPostsWait: number;
	/** A new member's post with more links than this waits for a curator. */
	linkLimit: number;
	/** Reports from this many different people hide a thing until a curator decides. */
	hideAfterReports: number;
}

export const trustSettingsSchema = z.object({
	firstPostsWait: wholeNumber({
		label: 'Posts that wait',
		min: 0,
		max: 100,
		required: 'Enter how many of a member’s first posts wait, or 0 for none'
	}),
	linkLimit: wholeNumber({
		label: 'Links allowed',
		min: 0,
		max: 1_000,
		required: 'Enter how many links a new member’s post may have'
	}),
	hideAfterReports: wholeNumber({
		label: 'Reports that hide',
		min: 1,
		max: 100,
		required: 'Enter how many people’s reports hide a thing',
		tooSmall: 'At least 1 person’s report must be needed to hide a thing'
	})
});

/** The settings as they are now, defaults where none is stored. Curators only. */
export async function readTrustSettings(
	db: Kysely<DB>,
	actor: Actor | null | undefined
): Promise<TrustSettings> {
	assertCan(canModerate(actor), 'Only curators can see the moderation settings.');
	const [posts, hideAfterReports] = await Promise.all([
		readPostSettings(db),
		readHideAfterReports(db)
	]);
	return { ...posts, hideAfterReports };
}

/** A curator changes the trust and report settings; the change is in the audit log. */
export async function saveTrustSettings(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	values: FormValues
): Promise<{ ok: true } | { ok: false; reason: 'invalid'; errors: FieldErrors }> {
	assertCan(canModerate(actor), 'Only curators can change the moderation settings.');
	const parsed = trustSettingsSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { firstPostsWait, linkLimit, hideAfterReports } = parsed.data;
	await db.transaction().execute(async (trx) => {
		await writePostSettings(trx, actor, { firstPostsWait, linkLimit });
		await writeSetting(trx, HIDE_AFTER_REPORTS_SETTING, String(hideAfterReports));
		await recordAudit(trx, {
			actor: actor ?? null,
			action: 'settings.moderation_changed',
			detail: { firstPostsWait, linkLimit, hideAfterReports }
		});
	});
	return { ok: true };
}
