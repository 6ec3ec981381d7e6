import { sql } from 'kysely';
import type { Database, DialectName } from './database';

export type HealthResult =
	{ ok: true; dialect: DialectName } | { ok: false; dialect: DialectName; reason: string };

/** Runs a real query, within `timeoutMs`, to tell whether the database answers. */
export async function checkDatabase(database: Database, timeoutMs = 2000): Promise<HealthResult> {
	let timer: NodeJS.Timeout | undefined;
	try {
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error('the database did not answer in time')), timeoutMs);
		});
		await Promise.race([sql`select 1 as ok`.execute(database.db), timeout]);
		return { ok: true, dialect: database.dialect };
	} catch (error) {
		const reason = error instanceof Error ? error.message : 'unknown error';
		return { ok: false, dialect: database.dialect, reason: `database unreachable: ${reason}` };
	} finally {
		clearTimeout(timer);
	}
}
