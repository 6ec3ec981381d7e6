import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { readSetting } from '../settings/settings.repository';

/** Instance setting: how many different people's reports hide a thing until a curator decides. */
export const HIDE_AFTER_REPORTS_SETTING = 'moderation.hide-after-reports';
export const DEFAULT_HIDE_AFTER_REPORTS = 3;

/** The number of reports (from different people) that hides a thing; 3 unless set. */
export async function readHideAfterReports(db: Kysely<DB>): Promise<number> {
	const value = Number(await readSetting(db, HIDE_AFTER_REPORTS_SETTING));
	return Number.isInteger(value) && value >= 1 ? value : DEFAULT_HIDE_AFTER_REPORTS;
}
