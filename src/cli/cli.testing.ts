import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database, type DialectName } from '../lib/server/db/database';
import { runCli } from './cli';
import type { Command } from './command';

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs the CLI in-process with only the given settings, capturing what it prints. */
export async function runCliForSpec(
	argv: string[],
	env: NodeJS.ProcessEnv,
	options: { stdin?: string; commands?: readonly Command[] } = {}
): Promise<CliRun> {
	let stdout = '';
	let stderr = '';
	const code = await runCli(
		argv,
		{
			stdout: { write: (text) => void (stdout += text) },
			stderr: { write: (text) => void (stderr += text) },
			stdin: async () => options.stdin ?? '',
			env
		},
		options.commands
	);
	return { code, stdout, stderr };
}

/**
 * Settings for a CLI run against a spec's database: on PostgreSQL its connection string; on
 * SQLite a database file in a fresh DATA_DIR (the CLI opens the file itself). Call `cleanup`
 * when done.
 */
export function cliEnvironment(ctx: { dialect: DialectName; database?: Database }): {
	env: NodeJS.ProcessEnv;
	dataDir: string;
	cleanup(): void;
} {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-cli-'));
	const env: NodeJS.ProcessEnv = {
		DATA_DIR: dataDir,
		SITE_NAME: 'CoLab Spec',
		ORIGIN: 'http://colab.example.test',
		...(ctx.dialect === 'postgres' ? { DATABASE_URL: ctx.database?.connectionString } : {})
	};
	return { env, dataDir, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** Runs `read` against the database the CLI used (the SQLite file in dataDir, or PostgreSQL). */
export async function readCliDatabase<T>(
	ctx: { dialect: DialectName; database: Database },
	dataDir: string,
	read: (db: Database['db']) => Promise<T>
): Promise<T> {
	if (ctx.dialect === 'postgres') return read(ctx.database.db);
	const database = openDatabase({ sqlitePath: path.join(dataDir, 'colab.sqlite') });
	try {
		return await read(database.db);
	} finally {
		await database.close();
	}
}
