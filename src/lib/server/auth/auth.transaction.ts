import { AsyncLocalStorage } from 'node:async_hooks';
import { getCurrentDBAdapterAsyncLocalStorage } from '@better-auth/core/context';
import { kyselyAdapter } from '@better-auth/kysely-adapter';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Auth } from './auth';

interface AccountChange {
	trx: Transaction<DB>;
	/** The first error a step met; better-auth logs its callbacks' errors and carries on. */
	failure?: unknown;
}

const changes = new AsyncLocalStorage<AccountChange>();

/**
 * Runs a better-auth call and the emails it sends in one transaction, so that the change and
 * its mail are kept together or not at all (the outbox rule every feature follows).
 *
 * better-auth runs its own writes on the adapter it finds in its async context and joins a
 * transaction already open there; it queues its emails to run after that transaction commits,
 * and logs and swallows any error they throw. So this opens the transaction itself, gives
 * better-auth an adapter bound to it, runs the queued emails before committing, and rolls back
 * when any step failed. `work` gets the transaction for CoLab's own writes and mail.
 *
 * Keep password checks out of `work` where you can: on SQLite the transaction holds the only
 * connection, so everything else waits while it is open.
 */
export async function inAccountChange<T>(
	auth: Auth,
	work: (trx: Transaction<DB>) => Promise<T>
): Promise<T> {
	const context = await auth.$context;
	const { db, type } = context.options.database as { db: Kysely<DB>; type: 'sqlite' | 'postgres' };
	const betterAuthContext = await getCurrentDBAdapterAsyncLocalStorage();
	// better-auth checks the tables once, on its first call, through its own connection: on
	// SQLite that would wait forever for the connection this transaction holds.
	await context.checkSchema?.();
	return db.transaction().execute(async (trx) => {
		const change: AccountChange = { trx };
		const store = {
			adapter: kyselyAdapter(trx, { type, transaction: false })(context.options),
			pendingHooks: [] as Array<() => Promise<void>>,
			isTransactionActive: true
		};
		const run = <R>(fn: () => Promise<R>) =>
			changes.run(change, () => betterAuthContext.run(store, fn));
		const result = await run(() => work(trx));
		// Hooks may queue further hooks; `for…of` reaches those too.
		for (const hook of store.pendingHooks) await run(hook);
		if (change.failure !== undefined) throw change.failure;
		return result;
	});
}

/**
 * For better-auth's callbacks (sending mail): runs `step` on the transaction of the account
 * change in progress, or on `db` when there is none. A failure is remembered so the change
 * rolls back, since better-auth would log it and commit without the mail.
 */
export async function accountChangeStep<T>(
	db: Kysely<DB>,
	step: (db: Kysely<DB>) => Promise<T>
): Promise<T> {
	const change = changes.getStore();
	if (!change) return step(db);
	try {
		return await step(change.trx);
	} catch (error) {
		change.failure ??= error;
		throw error;
	}
}
