import {
	CompiledQuery,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type Driver,
	type SqliteDialectConfig
} from 'kysely';

// Taken when this module loads, so that a spec's fake timers cannot stop the line.
const nextTurn = globalThis.setImmediate;

/**
 * Callers waiting for SQLite's one connection, served first come, first served. Each release
 * wakes exactly one waiter, on the event loop's next turn (see `leave`).
 */
export class WaitingLine {
	#busy = false;
	readonly #waiting: Array<() => void> = [];

	get waiting(): number {
		return this.#waiting.length;
	}

	/** Whether someone holds the connection now. */
	get busy(): boolean {
		return this.#busy;
	}

	async enter(): Promise<void> {
		if (!this.#busy) {
			this.#busy = true;
			return;
		}
		await new Promise<void>((resolve) => this.#waiting.push(resolve));
	}

	/**
	 * Lets the next caller in on the event loop's next turn, not at once. SQLite answers without
	 * waiting, so letting the next caller in at once chained query after query in one run of
	 * microtasks: while anyone waited, the server read no socket and sent no finished page. Under
	 * 50 connections to /search (100,000 documents) one request in a hundred then waited three to
	 * ten times as long as the median (p99 1.8 to 7.1 s); with a turn between callers, under twice
	 * (0.6 to 1.2 s), with as many requests a second (docs/performance.md, 2026-12-04 23:00). The
	 * connection stays taken meanwhile, so nobody overtakes the caller whose turn it is.
	 */
	leave(): void {
		const next = this.#waiting.shift();
		if (next) nextTurn(next);
		else this.#busy = false;
	}
}

/**
 * Kysely's SQLite driver lets one caller at a time use the connection, but every release wakes
 * all the callers waiting (each re-checks and waits again), so the cost of a query grows with
 * the number of requests in flight: 12 µs alone, 170 µs with 50 waiting, on the bench machine.
 * Putting callers in a line first means Kysely's own lock is always free when reached.
 */
class QueuedSqliteDriver extends SqliteDriver {
	readonly #line: WaitingLine;

	constructor(config: SqliteDialectConfig, line: WaitingLine) {
		super(config);
		this.#line = line;
	}

	override async acquireConnection(): Promise<DatabaseConnection> {
		await this.#line.enter();
		try {
			return await super.acquireConnection();
		} catch (error) {
			this.#line.leave();
			throw error;
		}
	}

	/**
	 * `begin immediate`, not Kysely's plain `begin`: the transaction takes SQLite's write lock at
	 * its start, waiting (busy_timeout) while another process holds it. A plain `begin` only
	 * reads until its first write; if another process (a second instance, the command line)
	 * commits in between, that write fails at once with SQLITE_BUSY, which no wait can mend
	 * because the transaction already read an older state. In this process the line already lets
	 * one caller in at a time, so nothing here waits longer than before.
	 */
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}

	override async releaseConnection(): Promise<void> {
		try {
			await super.releaseConnection();
		} finally {
			this.#line.leave();
		}
	}
}

/** Kysely's SqliteDialect with callers served in a line (see QueuedSqliteDriver). */
export class QueuedSqliteDialect extends SqliteDialect {
	readonly #config: SqliteDialectConfig;
	/** The line in front of the connection, readable for the metrics endpoint. */
	readonly line = new WaitingLine();

	constructor(config: SqliteDialectConfig) {
		super(config);
		this.#config = config;
	}

	override createDriver(): Driver {
		return new QueuedSqliteDriver(this.#config, this.line);
	}
}
