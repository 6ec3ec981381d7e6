import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from '../../lib/server/db/database';
import { parseOptions, type Command, type CommandContext } from '../command';
import {
	checkTool,
	databaseName,
	describePostgres,
	postgresToolEnvironment,
	runTool,
	serverMajorVersion,
	tablesInArchive
} from './backup-postgres';

/** The most pages better-sqlite3 lets one backup step copy: in effect, all of them. */
const ALL_PAGES = 0x7fffffff;

/** A file size people can read: 812 bytes, 40.2 KB, 3.1 MB. */
export function size(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `backup --to FILE`: a consistent copy of the database while CoLab keeps running. SQLite: the
 * online backup API, into one self-contained file. PostgreSQL: pg_dump's custom format (one
 * snapshot), restored with `restore` or pg_restore.
 */
export const backup: Command = {
	name: 'backup',
	summary: 'Copy the database to a file, safely while CoLab runs (SQLite or PostgreSQL)',
	usage: 'backup --to FILE [--force]',
	database: 'as-is',
	async run(args, ctx) {
		const options = parseOptions(args, { to: { type: 'string' }, force: { type: 'boolean' } }, [
			'to'
		]);
		const target = path.resolve(options.to);
		if (!fs.existsSync(path.dirname(target))) {
			ctx.stderr.write(`The folder ${path.dirname(target)} does not exist.\n`);
			return 1;
		}
		if (fs.existsSync(target) && !options.force) {
			ctx.stderr.write(`${target} already exists. Choose another file, or add --force.\n`);
			return 1;
		}
		if (isPostgresUrl(ctx.config.databaseUrl))
			return backUpPostgres(ctx.config.databaseUrl, target, ctx);

		const source = path.join(ctx.config.dataDir, 'colab.sqlite');
		if (!fs.existsSync(source)) {
			ctx.stderr.write(`There is no database at ${source} (check DATA_DIR).\n`);
			return 1;
		}
		if (target === source) {
			ctx.stderr.write('The backup must go to a different file from the database itself.\n');
			return 1;
		}

		// Copy beside the target and rename at the end, so a half-made file never has its name.
		const partial = `${target}.partial`;
		fs.rmSync(partial, { force: true });
		const database = new SQLite(source, { fileMustExist: true });
		try {
			database.pragma('busy_timeout = 5000');
			// All pages in one step, from one snapshot. In steps (100 pages by default), any write
			// by CoLab between two steps starts the copy again, so on a busy site it never ended.
			await database.backup(partial, { progress: () => ALL_PAGES });
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

/**
 * pg_dump in its custom format (compressed; pg_restore can pick from it), into a file beside the
 * target that takes its name only once pg_restore has read it back and found CoLab's tables.
 */
async function backUpPostgres(
	databaseUrl: string,
	target: string,
	ctx: CommandContext
): Promise<number> {
	const env = postgresToolEnvironment(databaseUrl);
	const server = await serverMajorVersion(databaseUrl);
	for (const tool of ['pg_dump', 'pg_restore'] as const) {
		const found = await checkTool(tool, server, env);
		if (!found.ok) {
			ctx.stderr.write(`${found.reason}\n`);
			return 1;
		}
	}
	const partial = `${target}.partial`;
	fs.rmSync(partial, { force: true });
	try {
		const dump = await runTool(
			'pg_dump',
			['--format=custom', '--no-password', `--file=${partial}`, databaseName(databaseUrl)],
			env
		);
		if (!dump || dump.code !== 0) {
			ctx.stderr.write(`pg_dump could not back up the database:\n${dump?.stderr ?? ''}`);
			return 1;
		}
		const list = await runTool('pg_restore', ['--list', partial], env);
		if (
			!list ||
			list.code !== 0 ||
			!tablesInArchive(list.stdout).includes('public.kysely_migration')
		) {
			ctx.stderr.write(
				`The backup could not be read back, so it was not kept:\n${list?.stderr ?? ''}`
			);
			return 1;
		}
		fs.renameSync(partial, target);
	} finally {
		fs.rmSync(partial, { force: true });
	}
	ctx.stdout.write(
		`Backed up the ${describePostgres(databaseUrl)} to ${target} (${size(fs.statSync(target).size)}).\n`
	);
	return 0;
}
