import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../lib/server/db/database';
import { migrations } from '../../lib/server/db/migrations/index';
import { describeEachDatabase } from '../../lib/server/testing/databases';
import {
	TEST_DATABASE_URL,
	adminQuery,
	throwawayName,
	withDatabaseName
} from '../../lib/server/testing/postgres';
import { cliEnvironment, runCliForSpec } from '../cli.testing';

describeEachDatabase('cli migrate', (ctx) => {
	let setup: ReturnType<typeof cliEnvironment>;
	let emptyDatabase: string | undefined;

	beforeAll(async () => {
		setup = cliEnvironment(ctx);
		if (ctx.dialect === 'postgres') {
			// The spec's own database is already migrated; this one starts empty.
			emptyDatabase = throwawayName('colab_cli_migrate');
			await adminQuery(`create database ${emptyDatabase}`);
			setup.env.DATABASE_URL = withDatabaseName(TEST_DATABASE_URL, emptyDatabase);
		}
	});
	afterAll(async () => {
		setup.cleanup();
		if (emptyDatabase) await adminQuery(`drop database if exists ${emptyDatabase} with (force)`);
	});

	it('applies every migration to an empty database, then has nothing to do', async () => {
		const names = Object.keys(migrations);
		const first = await runCliForSpec(['migrate'], setup.env);
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		expect(first.stdout.split('\n')[0]).toMatch(
			new RegExp(`^Applied ${names.length} migrations to ${ctx.dialect}:`)
		);
		for (const name of names) expect(first.stdout).toContain(`  ${name}\n`);

		const second = await runCliForSpec(['migrate'], setup.env);
		expect(second).toMatchObject({ code: 0, stderr: '' });
		expect(second.stdout).toMatch(/ is up to date \(\d+ migrations applied\)\.\n$/);
	});

	it('leaves a database the app can use', async () => {
		const database = openDatabase(
			ctx.dialect === 'postgres'
				? { databaseUrl: setup.env.DATABASE_URL }
				: { sqlitePath: path.join(setup.dataDir, 'colab.sqlite') }
		);
		try {
			expect(await database.db.selectFrom('mail_outbox').select('id').execute()).toEqual([]);
		} finally {
			await database.close();
		}
	});

	it('takes no arguments', async () => {
		const run = await runCliForSpec(['migrate', '--now'], setup.env);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^Unknown option '--now'\./);
	});
});
