import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type Database, type DialectName } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { TEST_DATABASE_URL, adminQuery, throwawayName, withDatabaseName } from './postgres';

export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/** A fresh, migrated database of the given engine, and how to throw it away. */
export async function createTestDatabase(dialect: DialectName): Promise<Database> {
	if (dialect === 'sqlite') {
		const database = openDatabase({ sqlitePath: ':memory:' });
		await migrateToLatest(database.db);
		return database;
	}
	const template = inject('postgresTemplate');
	const name = throwawayName('colab_test');
	await adminQuery(`create database ${name} template ${template}`);
	const database = openDatabase({
		databaseUrl: withDatabaseName(TEST_DATABASE_URL, name),
		poolSize: 20
	});
	const close = database.close;
	database.close = async () => {
		await close();
		await adminQuery(`drop database if exists ${name} with (force)`);
	};
	return database;
}

/**
 * Runs a block of specs once per database engine, each against its own fresh database:
 *
 *     describeEachDatabase('organisations', (ctx) => {
 *       it('creates one', async () => { await createOrganisation(ctx.db, …) });
 *     });
 */
export function describeEachDatabase(
	name: string,
	body: (ctx: {
		readonly db: Database['db'];
		readonly database: Database;
		readonly dialect: DialectName;
	}) => void
): void {
	for (const dialect of DIALECTS) {
		const skip = dialect === 'postgres' && !inject('postgresTemplate');
		describe.skipIf(skip)(`${name} [${dialect}]`, () => {
			let database: Database | undefined;
			const ctx = {
				get database(): Database {
					if (!database) throw new Error('test database not ready');
					return database;
				},
				get db() {
					return ctx.database.db;
				},
				dialect
			};
			beforeAll(async () => {
				database = await createTestDatabase(dialect);
			});
			afterAll(async () => {
				await database?.close();
			});
			body(ctx);
		});
	}
}
