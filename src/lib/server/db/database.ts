import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect } from 'kysely';
import type { DB } from './schema';
import { cachingStatements } from './statement-cache';
import { QueuedSqliteDialect } from './sqlite-queue';

export type DialectName = 'sqlite' | 'postgres';

/** How busy one connection pool is right now (for the metrics endpoint). */
export interface PoolUse {
	/** `app` for the app's queries; `auth` for better-auth's own pool on PostgreSQL. */
	pool: 'app' | 'auth';
	max: number;
	/** Connections open, in use or idle. */
	open: number;
	idle: number;
	/** Queries waiting for a connection. */
	waiting: number;
}

/** An open database: the Kysely instance, which engine it is, and how to close it. */
export interface Database {
	db: Kysely<DB>;
	dialect: DialectName;
	/** A short description safe to log (no password). */
	describe: string;
	/**
	 * The connection better-auth uses. On PostgreSQL it is a separate small pool with pg's
	 * default type parsing, because better-auth expects Date objects back from timestamptz
	 * columns; on SQLite it is `db` itself.
	 */
	authDb: Kysely<DB>;
	/** PostgreSQL only: the connection string, for LISTEN connections. */
	connectionString?: string;
	/** SQLite only: the one connection itself, for its triggers' functions (session-cache.ts). */
	sqlite?: SQLite.Database;
	/** Each pool's use now: SQLite's one connection and its waiting line, or pg's pools. */
	poolUse(): PoolUse[];
	close(): Promise<void>;
}

function pgPoolUse(name: PoolUse['pool'], pool: pg.Pool, max: number): PoolUse {
	return {
		pool: name,
		max,
		open: pool.totalCount,
		idle: pool.idleCount,
		waiting: pool.waitingCount
	};
}

/** Whether a Kysely instance or transaction talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function isPostgresUrl(url: string | undefined): url is string {
	return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * Turns PostgreSQL's text timestamps ("2026-11-26 09:30:00.123+00", "… +05:30", or without a
 * zone, which we always write as UTC) into ISO-8601 UTC strings.
 */
export function postgresTimestampToIso(value: string): string {
	let iso = value.replace(' ', 'T');
	if (/[+-]\d\d$/.test(iso)) iso += ':00';
	else if (!/(Z|[+-]\d\d:\d\d)$/.test(iso)) iso += 'Z';
	return new Date(iso).toISOString();
}

/**
 * PostgreSQL hands back timestamps as ISO strings and 64-bit integers (count(*)) as numbers,
 * so rows look the same as SQLite's and no feature has to care which engine it runs on.
 */
function postgresTypes() {
	const types = {
		getTypeParser(oid: number, format?: 'text' | 'binary') {
			if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
			if (oid === pg.types.builtins.TIMESTAMPTZ || oid === pg.types.builtins.TIMESTAMP)
				return postgresTimestampToIso;
			return pg.types.getTypeParser(oid, format);
		}
	};
	return types as unknown as pg.CustomTypesConfig;
}

/** Opens SQLite at `sqlitePath` (':memory:' for tests) or PostgreSQL when `databaseUrl` says so. */
export function openDatabase(options: {
	databaseUrl?: string;
	sqlitePath?: string;
	poolSize?: number;
}): Database {
	if (isPostgresUrl(options.databaseUrl)) {
		const poolSize = options.poolSize ?? 10;
		const pool = new pg.Pool({
			connectionString: options.databaseUrl,
			max: poolSize,
			types: postgresTypes()
		});
		// An idle client losing its connection must not crash the process; the pool replaces it.
		pool.on('error', () => {});
		const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		const authPool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
		authPool.on('error', () => {});
		const authDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool: authPool }) });
		const url = new URL(options.databaseUrl);
		return {
			db,
			authDb,
			dialect: 'postgres',
			describe: `postgres://${url.host}${url.pathname}`,
			connectionString: options.databaseUrl,
			poolUse: () => [pgPoolUse('app', pool, poolSize), pgPoolUse('auth', authPool, 5)],
			close: async () => {
				await Promise.all([db.destroy(), authDb.destroy()]);
			}
		};
	}
	const file = options.sqlitePath ?? ':memory:';
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	// SQLite's own lower() only knows A–Z; searches must treat "É" and "é" alike, as PostgreSQL does.
	sqlite.function('lower', { deterministic: true }, (value: unknown) =>
		value === null || value === undefined ? null : String(value).toLowerCase()
	);
	// Kysely's SQLite driver prepares every query again; keeping the statements saves that. Its
	// lock wakes every waiting caller on each release; a line wakes one (sqlite-queue.ts).
	const dialect = new QueuedSqliteDialect({ database: cachingStatements(sqlite) });
	const db = new Kysely<DB>({ dialect });
	return {
		db,
		authDb: db,
		dialect: 'sqlite',
		describe: `sqlite:${file}`,
		sqlite,
		poolUse: () => [
			{
				pool: 'app',
				max: 1,
				open: 1,
				idle: dialect.line.busy ? 0 : 1,
				waiting: dialect.line.waiting
			}
		],
		close: () => db.destroy()
	};
}
