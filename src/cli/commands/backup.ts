import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from '../../lib/server/db/database';
import { parseOptions, type Command } from '../command';

function size(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `backup --to FILE`: a consistent copy of the SQLite database, taken with SQLite's online
 * backup while the app keeps running. PostgreSQL has its own tool for this (pg_dump).
 */
export const backup: Command = {
	name: 'backup',
	summary: 'Copy the SQLite database to a file, safely while CoLab runs',
	usage: 'backup --to FILE [--force]',
	database: 'as-is',
	async run(args, ctx) {
		const options = parseOptions(args, { to: { type: 'string' }, force: { type: 'boolean' } }, [
			'to'
		]);
		if (isPostgresUrl(ctx.config.databaseUrl)) {
			ctx.stderr.write(
				'This CoLab uses PostgreSQL, and `backup` copies SQLite databases only.\n' +
					'Use PostgreSQL’s own pg_dump instead, for example:\n\n' +
					`  pg_dump --format=custom --file=${JSON.stringify(options.to)} "$DATABASE_URL"\n\n` +
					'Restore it with pg_restore (see the README, "Backups").\n'
			);
			return 1;
		}

		const source = path.join(ctx.config.dataDir, 'colab.sqlite');
		const target = path.resolve(options.to);
		if (!fs.existsSync(source)) {
			ctx.stderr.write(`There is no database at ${source} (check DATA_DIR).\n`);
			return 1;
		}
		if (target === source) {
			ctx.stderr.write('The backup must go to a different file from the database itself.\n');
			return 1;
		}
		if (!fs.existsSync(path.dirname(target))) {
			ctx.stderr.write(`The folder ${path.dirname(target)} does not exist.\n`);
			return 1;
		}
		if (fs.existsSync(target) && !options.force) {
			ctx.stderr.write(`${target} already exists. Choose another file, or add --force.\n`);
			return 1;
		}

		// Copy beside the target and rename at the end, so a half-made file never has its name.
		const partial = `${target}.partial`;
		fs.rmSync(partial, { force: true });
		const database = new SQLite(source, { fileMustExist: true });
		try {
			database.pragma('busy_timeout = 5000');
			await database.backup(partial);
		} finally {
			database.close();
		}
		const copy = new SQLite(partial);
		try {
			// One self-contained file (no -wal beside it), checked before it is called a backup.
			copy.pragma('journal_mode = DELETE');
			const check = copy.pragma('integrity_check', { simple: true });
			if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
		} finally {
			copy.close();
		}
		fs.renameSync(partial, target);
		ctx.stdout.write(`Backed up ${source} to ${target} (${size(fs.statSync(target).size)}).\n`);
		return 0;
	}
};
