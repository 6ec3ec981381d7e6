import type { Database as SqliteHandle } from 'better-sqlite3';
import type { Database } from '../db/database';
import { listenForNotifications } from '../db/listen';

/**
 * The PostgreSQL channel on which triggers announce a change to a person's sessions, account
 * or sign-in details (payload: their user id). See migration 2026-11-26-09.
 */
export const SIGN_IN_CHANNEL = 'colab_sign_in';

export interface SessionCacheOptions {
	/** Most entries kept; the oldest go first. */
	maxEntries?: number;
	/** Longest an entry is trusted, in ms, even if no change was announced. */
	maxAgeMs?: number;
	/** The clock, for specs. */
	now?: () => number;
}

interface Entry {
	userId: string;
	value: unknown;
	storedAt: number;
}

/**
 * What signed-in requests read about their person (the session row with the user, whether they
 * have a password), kept in memory so a page view need not ask the database each time.
 *
 * It is only ever on while this instance hears of every change to a session, a user or an
 * account, which drops that person's entries:
 * - PostgreSQL: triggers NOTIFY on commit and the instance LISTENs, so a change by any
 *   instance, the CLI or by hand arrives within milliseconds. While the listening connection
 *   is down the cache is off and empty.
 * - SQLite: temporary triggers on the app's own connection call back into this process as the
 *   change is made; a change by another process (the CLI) moves SQLite's `data_version`, which
 *   is compared before every read and empties the cache.
 * Writes never rely on it: form actions and other non-GET requests read the database.
 *
 * A read that started before a change was announced is not stored, so a stale row cannot
 * slip in after its notification (the same rule as the page cache).
 */
export class SessionCache {
	readonly #entries = new Map<string, Entry>();
	readonly #maxEntries: number;
	readonly #maxAgeMs: number;
	readonly #now: () => number;
	#generation = 0;
	#on = false;
	#checkFresh: (() => void) | undefined;

	constructor(options: SessionCacheOptions = {}) {
		this.#maxEntries = options.maxEntries ?? 10_000;
		this.#maxAgeMs = options.maxAgeMs ?? 60_000;
		this.#now = options.now ?? Date.now;
	}

	get on(): boolean {
		return this.#on;
	}

	get size(): number {
		return this.#entries.size;
	}

	/**
	 * Turns the cache on (listening) or off (not listening); either way it starts empty.
	 * `checkFresh`, when given, runs before every read while on, to clear the cache when it
	 * learns of changes it was not told about (SQLite: another process wrote).
	 */
	setOn(on: boolean, checkFresh?: () => void): void {
		this.#on = on;
		this.#checkFresh = on ? checkFresh : undefined;
		this.clear();
	}

	clear(): void {
		this.#generation++;
		this.#entries.clear();
	}

	/** Drops everything kept about one person. */
	forgetUser(userId: string): void {
		this.#generation++;
		for (const [key, entry] of this.#entries) {
			if (entry.userId === userId) this.#entries.delete(key);
		}
	}

	/**
	 * The value kept under `key`, or what `load` finds (kept, tagged with its person, when the
	 * cache is on and nothing changed while loading). Nothing found is never kept.
	 */
	async read<T>(
		key: string,
		load: () => Promise<{ userId: string; value: T } | undefined>
	): Promise<T | undefined> {
		if (!this.#on) return (await load())?.value;
		this.#checkFresh?.();
		const now = this.#now();
		const hit = this.#entries.get(key);
		if (hit && now - hit.storedAt < this.#maxAgeMs) return hit.value as T;
		const generation = this.#generation;
		const found = await load();
		if (found && this.#on && generation === this.#generation) {
			this.#entries.delete(key);
			this.#entries.set(key, { userId: found.userId, value: found.value, storedAt: now });
			if (this.#entries.size > this.#maxEntries) {
				this.#entries.delete(this.#entries.keys().next().value!);
			}
		}
		return found?.value;
	}
}

const KEY = Symbol.for('colab.session-cache');

/**
 * The cache a request may read its person from: page views (GET and HEAD) only. A form post,
 * and the page it renders, always asks the database, so no write trusts a kept answer.
 */
export function sessionCacheFor(request: Request): SessionCache | undefined {
	return request.method === 'GET' || request.method === 'HEAD' ? sessionCache() : undefined;
}

/** This instance's cache (one per process, shared by the server's modules). */
export function sessionCache(): SessionCache {
	const holder = globalThis as { [KEY]?: SessionCache };
	return (holder[KEY] ??= new SessionCache());
}

/**
 * Turns the cache on while this instance hears of every change to sign-in details (see
 * SessionCache), and off whenever it cannot. Returns a function that stops watching.
 */
export async function watchSignIns(
	database: Pick<Database, 'dialect' | 'connectionString' | 'sqlite'>,
	cache: SessionCache = sessionCache(),
	options: { reconnectMs?: number } = {}
): Promise<() => Promise<void>> {
	if (database.sqlite) return watchSqlite(database.sqlite, cache);
	if (database.dialect !== 'postgres' || !database.connectionString) return async () => {};
	const stop = await listenForNotifications(
		database.connectionString,
		SIGN_IN_CHANNEL,
		{
			onNotification: (userId) => (userId ? cache.forgetUser(userId) : cache.clear()),
			onListening: () => cache.setOn(true),
			onLost: () => cache.setOn(false)
		},
		{ applicationName: 'colab-sign-in', reconnectMs: options.reconnectMs }
	);
	return async () => {
		cache.setOn(false);
		await stop();
	};
}

/** The caches told about each SQLite connection's changes (one function per connection). */
const sqliteWatchers = new WeakMap<SqliteHandle, Set<SessionCache>>();

/** What changes whom: [table, events, the person's id column(s)]. */
const SQLITE_TRIGGERS: Array<[string, string, string[]]> = [
	['app_user', 'update', ['old.id']],
	['app_user', 'delete', ['old.id']],
	['auth_session', 'update', ['old.user_id', 'new.user_id']],
	['auth_session', 'delete', ['old.user_id']],
	['auth_account', 'insert', ['new.user_id']],
	['auth_account', 'update', ['old.user_id', 'new.user_id']],
	['auth_account', 'delete', ['old.user_id']]
];

function watchSqlite(sqlite: SqliteHandle, cache: SessionCache): () => Promise<void> {
	let caches = sqliteWatchers.get(sqlite);
	if (!caches) {
		const told = new Set<SessionCache>();
		caches = told;
		sqliteWatchers.set(sqlite, told);
		sqlite.function('colab_sign_in_changed', (userId: unknown) => {
			for (const each of told) each.forgetUser(String(userId));
			return null;
		});
		// Temporary triggers live only on this connection: other processes (the CLI) need not
		// know the function, and are caught by data_version instead.
		for (const [table, event, ids] of SQLITE_TRIGGERS) {
			const calls = ids.map((id) => `select colab_sign_in_changed(${id});`).join(' ');
			sqlite.exec(
				`create temp trigger if not exists colab_${table}_${event}_sign_in after ${event} on main.${table} begin ${calls} end`
			);
		}
	}
	caches.add(cache);
	const dataVersion = sqlite.prepare('pragma data_version').pluck();
	let seen = dataVersion.get();
	cache.setOn(true, () => {
		const now = dataVersion.get();
		if (now !== seen) {
			seen = now;
			cache.clear();
		}
	});
	const watching = caches;
	return async () => {
		watching.delete(cache);
		cache.setOn(false);
	};
}
