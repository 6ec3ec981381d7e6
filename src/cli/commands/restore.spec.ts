import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../lib/server/db/database';
import { createTestDatabase } from '../../lib/server/testing/databases';
import {
	adminQuery,
	TEST_DATABASE_URL,
	throwawayName,
	withDatabaseName
} from '../../lib/server/testing/postgres';
import { cliEnvironment, runCliForSpec } from '../cli.testing';

// What `restore` refuses, and how --force replaces a database. restore-drill.spec.ts restores
// a whole CoLab and starts it.

/** What a newer CoLab's database has: a migration this version does not know. */
async function markNewerMigration(db: Database['db']): Promise<void> {
	await sql`insert into kysely_migration (name, timestamp)
		values ('2099-01-01-01-from-the-future', ${new Date().toISOString()})`.execute(db);
}

async function setting(db: Database['db'], key: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('instance_setting')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	return row?.value;
}

describe('cli restore [sqlite]', () => {
	let setup: ReturnType<typeof cliEnvironment>;
	let liveDir: string;
	let backupFile: string;
	beforeAll(async () => {
		setup = cliEnvironment({ dialect: 'sqlite' });
		liveDir = path.join(setup.dataDir, 'live');
		const live = { ...setup.env, DATA_DIR: liveDir };
		expect((await runCliForSpec(['migrate'], live)).code).toBe(0);
		const database = openDatabase({ sqlitePath: path.join(liveDir, 'colab.sqlite') });
		await database.db
			.insertInto('instance_setting')
			.values({ key: 'spec.which', value: 'backed up' })
			.execute();
		await database.close();
		backupFile = path.join(setup.dataDir, 'backup.sqlite');
		expect((await runCliForSpec(['backup', '--to', backupFile], live)).code).toBe(0);
	});
	afterAll(() => setup.cleanup());

	function folder(name: string): NodeJS.ProcessEnv {
		return { ...setup.env, DATA_DIR: path.join(setup.dataDir, name) };
	}

	it('needs --from, and a CoLab backup of this engine', async () => {
		expect((await runCliForSpec(['restore'], setup.env)).stderr).toBe(
			'--from is required.\n\nUsage: npm run colab -- restore --from FILE [--force]\n'
		);
		const missing = await runCliForSpec(['restore', '--from', 'nope.sqlite'], setup.env);
		expect(missing).toMatchObject({
			code: 1,
			stderr: expect.stringMatching(/^There is no backup file at .*nope\.sqlite\.\n$/)
		});

		const text = path.join(setup.dataDir, 'notes.txt');
		fs.writeFileSync(text, 'not a database at all');
		expect((await runCliForSpec(['restore', '--from', text], folder('a'))).stderr).toMatch(
			/notes\.txt is not a CoLab backup \(neither a SQLite database nor a pg_dump archive\)\./
		);
		const other = path.join(setup.dataDir, 'other.sqlite');
		fs.writeFileSync(other, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080)]));
		expect((await runCliForSpec(['restore', '--from', other], folder('a'))).code).toBe(1);

		const dump = path.join(setup.dataDir, 'fake.dump');
		fs.writeFileSync(dump, 'PGDMP and the rest');
		expect((await runCliForSpec(['restore', '--from', dump], folder('a'))).stderr).toMatch(
			/fake\.dump is a PostgreSQL backup, but this CoLab uses SQLite\./
		);
		expect(fs.existsSync(path.join(setup.dataDir, 'a', 'colab.sqlite'))).toBe(false);
	});

	it('refuses to replace a database unless told, and then keeps the old one beside it', async () => {
		const env = folder('replace');
		expect((await runCliForSpec(['migrate'], env)).code).toBe(0);
		const target = path.join(env.DATA_DIR!, 'colab.sqlite');
		let database = openDatabase({ sqlitePath: target });
		await database.db
			.insertInto('instance_setting')
			.values({ key: 'spec.which', value: 'was here' })
			.execute();

		// CoLab is running (the database is open): refused, even with --force.
		const busy = await runCliForSpec(['restore', '--from', backupFile, '--force'], env);
		expect(busy.code).toBe(1);
		expect(busy.stderr).toMatch(/colab\.sqlite is in use: stop CoLab/);
		await database.close();

		const refused = await runCliForSpec(['restore', '--from', backupFile], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/already holds a database\. Restoring would replace it/);

		const forced = await runCliForSpec(['restore', '--from', backupFile, '--force'], env);
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		const aside = /kept at (\S+)\.\n/.exec(forced.stdout)?.[1];
		expect(aside).toMatch(/colab\.sqlite\.before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);

		database = openDatabase({ sqlitePath: target });
		try {
			expect(await setting(database.db, 'spec.which')).toBe('backed up');
		} finally {
			await database.close();
		}
		const old = openDatabase({ sqlitePath: aside! });
		try {
			expect(await setting(old.db, 'spec.which')).toBe('was here');
		} finally {
			await old.close();
		}
	});

	it('refuses a backup made by a newer CoLab', async () => {
		const newer = path.join(setup.dataDir, 'newer.sqlite');
		fs.copyFileSync(backupFile, newer);
		const database = openDatabase({ sqlitePath: newer });
		await markNewerMigration(database.db);
		await database.close();
		const run = await runCliForSpec(['restore', '--from', newer], folder('newer'));
		expect(run.code).toBe(1);
		expect(run.stderr).toBe(
			'This backup was made by a newer version of CoLab: it has migration ' +
				'2099-01-01-01-from-the-future, which this version does not know. Restore it with that ' +
				'version or a newer one.\n'
		);
		expect(fs.existsSync(path.join(setup.dataDir, 'newer', 'colab.sqlite'))).toBe(false);
	});
});

describe.skipIf(!inject('postgresTemplate'))('cli restore [postgres]', () => {
	let source: Database;
	let setup: ReturnType<typeof cliEnvironment>;
	let backupFile: string;
	const dropped: string[] = [];

	async function emptyDatabase(): Promise<NodeJS.ProcessEnv> {
		const name = throwawayName('colab_restore');
		await adminQuery(`create database ${name}`);
		dropped.push(name);
		return { ...setup.env, DATABASE_URL: withDatabaseName(TEST_DATABASE_URL, name) };
	}

	beforeAll(async () => {
		source = await createTestDatabase('postgres');
		setup = cliEnvironment({ dialect: 'postgres', database: source });
		await source.db
			.insertInto('instance_setting')
			.values({ key: 'spec.which', value: 'backed up' })
			.execute();
		backupFile = path.join(setup.dataDir, 'colab.dump');
		expect((await runCliForSpec(['backup', '--to', backupFile], setup.env)).code).toBe(0);
	});
	afterAll(async () => {
		await source.close();
		for (const name of dropped) await adminQuery(`drop database if exists ${name} with (force)`);
		setup.cleanup();
	});

	it('restores into an empty database, refuses a full one unless told, and replaces it in one go', async () => {
		const env = await emptyDatabase();
		const first = await runCliForSpec(['restore', '--from', backupFile], env);
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);

		const target = openDatabase({ databaseUrl: env.DATABASE_URL });
		try {
			await target.db
				.updateTable('instance_setting')
				.set({ value: 'changed since' })
				.where('key', '=', 'spec.which')
				.execute();

			// Our pool holds a connection: that counts as CoLab running.
			const busy = await runCliForSpec(['restore', '--from', backupFile, '--force'], env);
			expect(busy.code).toBe(1);
			expect(busy.stderr).toMatch(/is in use \(\d+ other connections?\): stop CoLab/);
		} finally {
			await target.close();
		}

		const refused = await runCliForSpec(['restore', '--from', backupFile], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(
			/is not empty \(\d+ tables\)\. Restore into a new, empty database/
		);

		const forced = await runCliForSpec(['restore', '--from', backupFile, '--force'], env);
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		const client = new pg.Client({ connectionString: env.DATABASE_URL });
		await client.connect();
		try {
			const rows = await client.query(
				"select value from instance_setting where key = 'spec.which'"
			);
			expect(rows.rows).toEqual([{ value: 'backed up' }]);
		} finally {
			await client.end();
		}
	});

	it('refuses a backup made by a newer CoLab, and a SQLite backup', async () => {
		await markNewerMigration(source.db);
		const newer = path.join(setup.dataDir, 'newer.dump');
		expect((await runCliForSpec(['backup', '--to', newer], setup.env)).code).toBe(0);
		const env = await emptyDatabase();
		const run = await runCliForSpec(['restore', '--from', newer], env);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/^This backup was made by a newer version of CoLab: it has migration 2099-01-01-01-from-the-future,/
		);

		const sqliteFile = path.join(setup.dataDir, 'colab.sqlite');
		const database = openDatabase({ sqlitePath: sqliteFile });
		await database.close();
		const wrong = await runCliForSpec(['restore', '--from', sqliteFile], env);
		expect(wrong.stderr).toMatch(/is a SQLite backup, but this CoLab uses PostgreSQL/);
	});
});
