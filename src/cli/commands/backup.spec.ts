import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../lib/server/db/database';
import { createTestDatabase } from '../../lib/server/testing/databases';
import { cliEnvironment, runCliForSpec } from '../cli.testing';
import { postgresToolEnvironment } from './backup-postgres';

describe('cli backup [sqlite]', () => {
	let setup: ReturnType<typeof cliEnvironment>;
	beforeAll(() => {
		setup = cliEnvironment({ dialect: 'sqlite' });
	});
	afterAll(() => setup.cleanup());

	it('needs --to', async () => {
		const run = await runCliForSpec(['backup'], setup.env);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe(
			'--to is required.\n\nUsage: npm run colab -- backup --to FILE [--force]\n'
		);
	});

	it('copies the SQLite database while the app has it open, into one readable file', async () => {
		expect((await runCliForSpec(['migrate'], setup.env)).code).toBe(0);
		// The app is running: a connection is open and has written since the last checkpoint.
		const app = openDatabase({ sqlitePath: path.join(setup.dataDir, 'colab.sqlite') });
		try {
			await app.db
				.insertInto('instance_setting')
				.values({ key: 'spec.backup', value: 'kept' })
				.execute();
			const target = path.join(setup.dataDir, 'backup.sqlite');
			const run = await runCliForSpec(['backup', '--to', target], setup.env);
			expect(run.stderr).toBe('');
			expect(run.code).toBe(0);
			expect(run.stdout).toMatch(
				// KB or MB: the size of an empty database grows with each migration.
				/^Backed up .*colab\.sqlite to .*backup\.sqlite \([\d.]+ (KB|MB)\)\.\n$/
			);

			const copy = new SQLite(target, { readonly: true, fileMustExist: true });
			try {
				expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
				expect(
					copy.prepare('select value from instance_setting where key = ?').get('spec.backup')
				).toEqual({ value: 'kept' });
			} finally {
				copy.close();
			}
			expect(fs.readdirSync(setup.dataDir).filter((f) => f.startsWith('backup'))).toEqual([
				'backup.sqlite'
			]);

			// An existing file is kept unless --force says otherwise.
			await app.db
				.updateTable('instance_setting')
				.set({ value: 'changed' })
				.where('key', '=', 'spec.backup')
				.execute();
			const again = await runCliForSpec(['backup', '--to', target], setup.env);
			expect(again.code).toBe(1);
			expect(again.stderr).toMatch(/already exists\. Choose another file, or add --force\./);
			const forced = await runCliForSpec(['backup', '--to', target, '--force'], setup.env);
			expect(forced.code).toBe(0);
			const copy2 = new SQLite(target, { readonly: true });
			try {
				expect(
					copy2.prepare('select value from instance_setting where key = ?').get('spec.backup')
				).toEqual({ value: 'changed' });
			} finally {
				copy2.close();
			}
		} finally {
			await app.close();
		}
	});

	it('says so when there is no database yet', async () => {
		const env = { ...setup.env, DATA_DIR: path.join(setup.dataDir, 'nothing-here') };
		const run = await runCliForSpec(['backup', '--to', path.join(setup.dataDir, 'x.sqlite')], env);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^There is no database at .*nothing-here.colab\.sqlite/);
		expect(fs.existsSync(path.join(setup.dataDir, 'nothing-here'))).toBe(false);
	});
});

/** Runs `body` with PATH set to `folder` first (or only), restoring it afterwards. */
async function withPath<T>(folder: string, only: boolean, body: () => Promise<T>): Promise<T> {
	const saved = process.env.PATH;
	process.env.PATH = only ? folder : `${folder}${path.delimiter}${saved ?? ''}`;
	try {
		return await body();
	} finally {
		process.env.PATH = saved;
	}
}

/** A stand-in for a PostgreSQL tool: a shell script in `folder`. */
function fakeTool(folder: string, name: string, script: string): void {
	const file = path.join(folder, name);
	fs.writeFileSync(file, `#!/bin/sh\n${script}\n`);
	fs.chmodSync(file, 0o755);
}

describe.skipIf(!inject('postgresTemplate'))('cli backup [postgres]', () => {
	let database: Database;
	let setup: ReturnType<typeof cliEnvironment>;
	let env: NodeJS.ProcessEnv;
	const PASSWORD = 'not-for-ps-output';
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		setup = cliEnvironment({ dialect: 'postgres', database });
		// The server trusts local connections, so any password works; it must never show.
		const url = new URL(database.connectionString!);
		url.password = PASSWORD;
		env = { ...setup.env, DATABASE_URL: url.toString() };
	});
	afterAll(async () => {
		setup.cleanup();
		await database.close();
	});

	it('backs up with pg_dump, giving it the password only in its environment', async () => {
		await database.db
			.insertInto('instance_setting')
			.values({ key: 'spec.backup', value: 'kept' })
			.execute();
		const tools = fs.mkdtempSync(path.join(setup.dataDir, 'tools-'));
		const log = path.join(tools, 'calls.log');
		for (const tool of ['pg_dump', 'pg_restore'])
			fakeTool(
				tools,
				tool,
				`echo "${tool} $* | PGPASSWORD=$PGPASSWORD PGDATABASE=$PGDATABASE" >> ${log}\nexec /usr/bin/${tool} "$@"`
			);
		const target = path.join(setup.dataDir, 'colab.dump');
		const run = await withPath(tools, false, () => runCliForSpec(['backup', '--to', target], env));
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(
			/^Backed up the PostgreSQL database "colab_test_\w+" on 127\.0\.0\.1:5432 to .*colab\.dump \([\d.]+ KB\)\.\n$/
		);
		expect(fs.readFileSync(target).subarray(0, 5).toString()).toBe('PGDMP');
		expect(fs.readdirSync(setup.dataDir).filter((f) => f.startsWith('colab.dump'))).toEqual([
			'colab.dump'
		]);

		const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
		expect(calls.map((call) => call.split(' ')[0])).toEqual([
			'pg_dump',
			'pg_restore',
			'pg_dump',
			'pg_restore'
		]);
		for (const call of calls) {
			const [args, environment] = call.split(' | ');
			expect(args).not.toContain(PASSWORD);
			expect(args).not.toContain('postgres://');
			expect(environment).toMatch(new RegExp(`^PGPASSWORD=${PASSWORD} PGDATABASE=colab_test_`));
		}
		expect(calls[2]).toMatch(
			/^pg_dump --format=custom --no-password --file=.*colab\.dump\.partial colab_test_\w+ \|/
		);

		// What pg_dump wrote is the database, setting included (read back by pg_restore).
		const data = spawnSync(
			'/usr/bin/pg_restore',
			['--data-only', '--table=instance_setting', '--file=-', target],
			{
				encoding: 'utf8'
			}
		);
		expect(data.stdout).toMatch(/^spec\.backup\tkept$/m);

		const again = await runCliForSpec(['backup', '--to', target], env);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/already exists\. Choose another file, or add --force\./);
	});

	it('says what to install when pg_dump is missing, or too old for the server', async () => {
		const empty = fs.mkdtempSync(path.join(setup.dataDir, 'no-tools-'));
		const target = path.join(setup.dataDir, 'missing.dump');
		const missing = await withPath(empty, true, () =>
			runCliForSpec(['backup', '--to', target], env)
		);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(
			/^pg_dump was not found\. Install PostgreSQL's client tools, version (\d+) or newer \(on Debian or Ubuntu: sudo apt-get install postgresql-client-\1\), so that pg_dump is on the PATH\.\n$/
		);

		const old = fs.mkdtempSync(path.join(setup.dataDir, 'old-tools-'));
		fakeTool(old, 'pg_dump', 'echo "pg_dump (PostgreSQL) 9.6.24"');
		const tooOld = await withPath(old, false, () => runCliForSpec(['backup', '--to', target], env));
		expect(tooOld.code).toBe(1);
		expect(tooOld.stderr).toMatch(
			/^pg_dump is version 9, older than the server \(PostgreSQL \d+\)\. Install /
		);
		expect(fs.existsSync(target)).toBe(false);
		expect(tooOld.stderr + missing.stderr).not.toContain(PASSWORD);
	});
});

describe('postgresToolEnvironment', () => {
	it('gives the tools the connection as PG* variables, and nothing from elsewhere', () => {
		const env = postgresToolEnvironment(
			'postgres://colab%40site:p%40ss%3Aw%2Frd@db.internal:6543/colab%20live?sslmode=verify-full&application_name=backup',
			{ PATH: '/usr/bin', PGSERVICE: 'other', PGPASSWORD: 'old', PGHOST: 'elsewhere' }
		);
		expect(env).toEqual({
			PATH: '/usr/bin',
			PGHOST: 'db.internal',
			PGPORT: '6543',
			PGUSER: 'colab@site',
			PGPASSWORD: 'p@ss:w/rd',
			PGDATABASE: 'colab live',
			PGSSLMODE: 'verify-full',
			PGAPPNAME: 'backup'
		});
		expect(postgresToolEnvironment('postgres://colab@[::1]/colab', {})).toEqual({
			PGHOST: '::1',
			PGUSER: 'colab',
			PGDATABASE: 'colab'
		});
		// A socket folder, as libpq takes it.
		expect(
			postgresToolEnvironment('postgresql://colab@localhost/colab?host=/var/run/postgresql', {})
		).toEqual({ PGHOST: '/var/run/postgresql', PGUSER: 'colab', PGDATABASE: 'colab' });
	});
});
