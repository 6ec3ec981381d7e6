import path from 'node:path';
import { hashPassword } from 'better-auth/crypto';
import { markContentChanged } from '../../src/lib/server/cache/content-version';
import { isPostgres, openDatabase, type Database } from '../../src/lib/server/db/database';
import { newId, nowIso } from '../../src/lib/server/ids';
import {
	TEST_DATABASE_URL,
	adminQuery,
	postgresReachable,
	throwawayName,
	withDatabaseName
} from '../../src/lib/server/testing/postgres';

/**
 * Journeys that need more than one app instance, or a person who already exists, reach the
 * database the way another instance (or the CLI) would: through its own connection.
 */
export function openServerDatabase(server: { dataDir: string; env: NodeJS.ProcessEnv }): Database {
	return openDatabase({
		databaseUrl: server.env.DATABASE_URL,
		sqlitePath: path.join(server.dataDir, 'colab.sqlite')
	});
}

/**
 * Adds a person who can sign in with a password, as one write that changes public content
 * (the home page stops asking for the first administrator).
 */
export async function addPerson(
	database: Database,
	person: { name: string; email: string; password: string; role?: string }
): Promise<string> {
	const id = newId();
	const now = nowIso();
	const hash = await hashPassword(person.password);
	await database.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('app_user')
			.values({
				id,
				name: person.name,
				email: person.email.toLowerCase(),
				email_verified: isPostgres(trx) ? true : 1,
				image: null,
				role: person.role ?? 'member',
				created_at: now,
				updated_at: now
			})
			.execute();
		await trx
			.insertInto('auth_account')
			.values({
				id: newId(),
				user_id: id,
				account_id: id,
				provider_id: 'credential',
				access_token: null,
				refresh_token: null,
				id_token: null,
				access_token_expires_at: null,
				refresh_token_expires_at: null,
				scope: null,
				password: hash,
				created_at: now,
				updated_at: now
			})
			.execute();
		await markContentChanged(trx);
	});
	return id;
}

/**
 * A throwaway PostgreSQL database for journeys that run several instances on one database.
 * Undefined when PostgreSQL is not reachable (outside CI, those journeys are skipped).
 */
export async function throwawayPostgres(): Promise<
	{ url: string; drop: () => Promise<void> } | undefined
> {
	if (!(await postgresReachable())) {
		if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${TEST_DATABASE_URL}`);
		return undefined;
	}
	const name = throwawayName('colab_e2e');
	await adminQuery(`create database ${name}`);
	return {
		url: withDatabaseName(TEST_DATABASE_URL, name),
		drop: () => adminQuery(`drop database if exists ${name} with (force)`)
	};
}
