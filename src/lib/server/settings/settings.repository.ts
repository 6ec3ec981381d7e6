import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** Instance-wide settings (key → text), shared by every app instance on one database. */
export async function readSetting(db: Db, key: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('instance_setting')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	return row?.value;
}

/**
 * Stores `value` unless the key already has one, and returns whichever value is stored: when
 * several instances race, they all end up with the first one written.
 */
export async function insertSettingIfAbsent(db: Db, key: string, value: string): Promise<string> {
	await db
		.insertInto('instance_setting')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	const stored = await readSetting(db, key);
	if (stored === undefined) throw new Error(`instance setting ${key} vanished`);
	return stored;
}

/** Stores `value`, replacing any earlier one. */
export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
	await db
		.insertInto('instance_setting')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}

/**
 * Deletes the setting, only when it still holds `expected` if that is given. Returns whether a
 * row went, so a caller can use it as a one-time claim.
 */
export async function deleteSetting(db: Db, key: string, expected?: string): Promise<boolean> {
	let query = db.deleteFrom('instance_setting').where('key', '=', key);
	if (expected !== undefined) query = query.where('value', '=', expected);
	const result = await query.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}
