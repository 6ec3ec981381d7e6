import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { isPostgresUrl } from '../../lib/server/db/database';
import { migrations } from '../../lib/server/db/migrations/index';
import { parseOptions, type Command, type CommandContext } from '../command';
import { size } from './backup';
import {
	backupKind,
	checkTool,
	databaseName,
	describePostgres,
	migrationsInScript,
	postgresToolEnvironment,
	runTool,
	serverMajorVersion,
	tablesInArchive
} from './backup-postgres';

const AFTERWARDS = 'Start CoLab as usual: it applies any migrations this version adds.\n';

/** The backup's migrations this version of CoLab does not know (it was made by a newer one). */
function unknownMigrations(names: string[]): string[] {
	return names.filter((name) => !(name in migrations));
}

function newerVersionMessage(unknown: string[]): string {
	return (
		`This backup was made by a newer version of CoLab: it has migration ${unknown.join(', ')}, ` +
		'which this version does not know. Restore it with that version or a newer one.\n'
	);
}

/** "2026-12-02T17-30-05" for the name of a file kept aside. */
function stamp(): string {
	return new Date().toISOString().slice(0, 19).replace(/:/g, '-');
}

/**
 * `restore --from FILE`: puts a backup made by `backup` back, into an empty database unless
 * --force says to replace what is there. CoLab must be stopped; it migrates the data when it
 * next starts.
 */
export const restore: Command = {
	name: 'restore',
	summary: 'Put a backup back (into an empty database unless --force); stop CoLab first',
	usage: 'restore --from FILE [--force]',
	database: 'as-is',
	async run(args, ctx) {
		const options = parseOptions(args, { from: { type: 'string' }, force: { type: 'boolean' } }, [
			'from'
		]);
		const from = path.resolve(options.from);
		if (!fs.existsSync(from) || !fs.statSync(from).isFile()) {
			ctx.stderr.write(`There is no backup file at ${from}.\n`);
			return 1;
		}
		const head = Buffer.alloc(16);
		const fd = fs.openSync(from, 'r');
		try {
			fs.readSync(fd, head, 0, 16, 0);
		} finally {
			fs.closeSync(fd);
		}
		const kind = backupKind(head);
		const engine = isPostgresUrl(ctx.config.databaseUrl) ? 'postgres' : 'sqlite';
		if (kind === 'unknown') {
			ctx.stderr.write(
				`${from} is not a CoLab backup (neither a SQLite database nor a pg_dump archive).\n`
			);
			return 1;
		}
		if (kind !== engine) {
			ctx.stderr.write(
				kind === 'postgres'
					? `${from} is a PostgreSQL backup, but this CoLab uses SQLite. Set DATABASE_URL to an empty PostgreSQL database to restore it there.\n`
					: `${from} is a SQLite backup, but this CoLab uses PostgreSQL (DATABASE_URL is set). Unset DATABASE_URL to restore it into DATA_DIR.\n`
			);
			return 1;
		}
		return engine === 'postgres'
			? restorePostgres(ctx.config.databaseUrl!, from, !!options.force, ctx)
			: restoreSqlite(ctx.config.dataDir, from, !!options.force, ctx);
	}
};

/** Whether another connection (a running CoLab) has the SQLite file open. */
function sqliteInUse(file: string): boolean {
	const probe = new SQLite(file, { fileMustExist: true, timeout: 0 });
	try {
		// An exclusive lock is refused while any other connection, in any process, holds the file.
		probe.pragma('locking_mode = EXCLUSIVE');
		probe.exec('BEGIN EXCLUSIVE');
		probe.exec('COMMIT');
		return false;
	} catch {
		return true;
	} finally {
		probe.close();
	}
}

function tableCount(database: SQLite.Database): number {
	return (
		database.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as {
			n: number;
		}
	).n;
}

async function restoreSqlite(
	dataDir: string,
	from: string,
	force: boolean,
	ctx: CommandContext
): Promise<number> {
	const target = path.join(dataDir, 'colab.sqlite');
	if (from === target) {
		ctx.stderr.write('The backup is the database itself; choose a backup file.\n');
		return 1;
	}
	const source = new SQLite(from, { readonly: true, fileMustExist: true });
	let known: string[];
	try {
		const check = source.pragma('integrity_check', { simple: true });
		if (check !== 'ok') {
			ctx.stderr.write(`${from} is damaged (integrity check: ${String(check)}); not restored.\n`);
			return 1;
		}
		const hasMigrations = source
			.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
			.get();
		if (!hasMigrations) {
			ctx.stderr.write(`${from} is a SQLite database, but not one of CoLab's.\n`);
			return 1;
		}
		known = (
			source.prepare('select name from kysely_migration order by name').all() as Array<{
				name: string;
			}>
		).map((row) => row.name);
		const unknown = unknownMigrations(known);
		if (unknown.length > 0) {
			ctx.stderr.write(newerVersionMessage(unknown));
			return 1;
		}

		let keptAside: string | undefined;
		if (fs.existsSync(target)) {
			if (sqliteInUse(target)) {
				ctx.stderr.write(
					`${target} is in use: stop CoLab (every instance and command using it), then restore.\n`
				);
				return 1;
			}
			const current = new SQLite(target, { fileMustExist: true });
			try {
				if (tableCount(current) > 0) {
					if (!force) {
						ctx.stderr.write(
							`${target} already holds a database. Restoring would replace it: move it away ` +
								'first, or add --force (it is then kept beside it, not deleted).\n'
						);
						return 1;
					}
					// Through the backup API, so what is still in its -wal file is kept too.
					keptAside = `${target}.before-restore-${stamp()}`;
					await current.backup(keptAside);
				}
			} finally {
				current.close();
			}
		}

		fs.mkdirSync(dataDir, { recursive: true });
		const partial = `${target}.partial`;
		fs.rmSync(partial, { force: true });
		await source.backup(partial);
		// A -wal file left by the old database would be replayed into the restored one.
		for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(target + suffix, { force: true });
		fs.renameSync(partial, target);
		if (keptAside) ctx.stdout.write(`The database that was there is kept at ${keptAside}.\n`);
	} finally {
		source.close();
	}
	ctx.stdout.write(
		`Restored ${from} into ${target} (${size(fs.statSync(target).size)}, ` +
			`${known.length} migrations).\n${AFTERWARDS}`
	);
	return 0;
}

async function restorePostgres(
	databaseUrl: string,
	from: string,
	force: boolean,
	ctx: CommandContext
): Promise<number> {
	const env = postgresToolEnvironment(databaseUrl);
	const found = await checkTool('pg_restore', await serverMajorVersion(databaseUrl), env);
	if (!found.ok) {
		ctx.stderr.write(`${found.reason}\n`);
		return 1;
	}
	const list = await runTool('pg_restore', ['--list', from], env);
	if (!list || list.code !== 0) {
		ctx.stderr.write(`pg_restore could not read ${from}:\n${list?.stderr ?? ''}`);
		return 1;
	}
	const archived = tablesInArchive(list.stdout);
	if (!archived.includes('public.kysely_migration')) {
		ctx.stderr.write(`${from} is a pg_dump archive, but not of a CoLab database.\n`);
		return 1;
	}
	const script = await runTool(
		'pg_restore',
		['--data-only', '--table=kysely_migration', '--file=-', from],
		env
	);
	if (!script || script.code !== 0) {
		ctx.stderr.write(`pg_restore could not read ${from}:\n${script?.stderr ?? ''}`);
		return 1;
	}
	const unknown = unknownMigrations(migrationsInScript(script.stdout));
	if (unknown.length > 0) {
		ctx.stderr.write(newerVersionMessage(unknown));
		return 1;
	}

	const where = describePostgres(databaseUrl);
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	let existing: string[];
	let others: number;
	try {
		existing = (
			await client.query<{ name: string }>(
				"select schemaname || '.' || tablename as name from pg_tables where schemaname = 'public'"
			)
		).rows.map((row) => row.name);
		others = (
			await client.query<{ n: number }>(
				'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'
			)
		).rows[0]!.n;
	} finally {
		await client.end();
	}
	if (others > 0) {
		ctx.stderr.write(
			`The ${where} is in use (${others} other connection${others === 1 ? '' : 's'}): ` +
				'stop CoLab (every instance and command using it), then restore.\n'
		);
		return 1;
	}
	if (existing.length > 0 && !force) {
		ctx.stderr.write(
			`The ${where} is not empty (${existing.length} tables). Restore into a new, empty ` +
				'database (createdb, then point DATABASE_URL at it), or add --force to replace ' +
				'what is in it.\n'
		);
		return 1;
	}
	// --clean drops only what the backup holds; tables it does not know would be left behind,
	// half a newer schema beside an older one.
	const strangers = existing.filter((table) => !archived.includes(table));
	if (strangers.length > 0) {
		ctx.stderr.write(
			`The ${where} has tables the backup does not (${strangers.join(', ')}), so it cannot be ` +
				'replaced cleanly. Restore into a new, empty database instead.\n'
		);
		return 1;
	}

	// One transaction: if anything fails, the database is left exactly as it was.
	const restored = await runTool(
		'pg_restore',
		[
			'--no-password',
			'--single-transaction',
			'--exit-on-error',
			'--no-owner',
			'--no-privileges',
			...(existing.length > 0 ? ['--clean', '--if-exists'] : []),
			`--dbname=${databaseName(databaseUrl)}`,
			from
		],
		env
	);
	if (!restored || restored.code !== 0) {
		ctx.stderr.write(
			`pg_restore failed, and the database was left as it was:\n${restored?.stderr ?? ''}`
		);
		return 1;
	}
	ctx.stdout.write(`Restored ${from} into the ${where}.\n${AFTERWARDS}`);
	return 0;
}
