import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/server/db/database';
import { TEST_DATABASE_URL } from '../../lib/server/testing/postgres';
import { cliEnvironment, runCliForSpec } from '../cli.testing';

// The command never connects to PostgreSQL (it only points to pg_dump), so one block covers
// both engines: SQLite through a real file in DATA_DIR, PostgreSQL through DATABASE_URL.
describe('cli backup', () => {
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
				/^Backed up .*colab\.sqlite to .*backup\.sqlite \([\d.]+ KB\)\.\n$/
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

	it('refuses on PostgreSQL and shows how to use pg_dump', async () => {
		const target = path.join(setup.dataDir, 'colab.dump');
		const run = await runCliForSpec(['backup', '--to', target], {
			...setup.env,
			DATABASE_URL: TEST_DATABASE_URL
		});
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain('This CoLab uses PostgreSQL');
		expect(run.stderr).toContain(
			`pg_dump --format=custom --file=${JSON.stringify(target)} "$DATABASE_URL"`
		);
		expect(fs.existsSync(target)).toBe(false);
	});
});
