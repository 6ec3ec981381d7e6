import path from 'node:path';
import { readConfig, type Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrate';
import { logger } from './logger';

/**
 * The running server's shared pieces. Built once by `startApp` (from hooks `init`, the CLI or a
 * test) and torn down by `stopApp`. Features receive what they need as arguments; only routes
 * and hooks reach for `app()`.
 */
export interface App {
	config: Config;
	database: Database;
	/** Called in reverse order by stopApp: workers, listeners, then the database. */
	onStop: Array<() => Promise<void> | void>;
}

const KEY = Symbol.for('colab.app');
type Holder = { [KEY]?: App };

export function openConfiguredDatabase(config: Config): Database {
	return openDatabase({
		databaseUrl: config.databaseUrl,
		sqlitePath: path.join(config.dataDir, 'colab.sqlite')
	});
}

/** Opens the database, applies migrations and starts the background pieces. */
export async function startApp(config: Config = readConfig()): Promise<App> {
	const holder = globalThis as Holder;
	if (holder[KEY]) return holder[KEY];
	const database = openConfiguredDatabase(config);
	await migrateToLatest(database.db);
	const started: App = { config, database, onStop: [() => database.close()] };
	if (config.metrics.enabled) {
		// Loaded only when on: with metrics off, prom-client is never even imported.
		const { startMetrics } = await import('./metrics/metrics');
		started.onStop.push(startMetrics(config, database));
	}
	holder[KEY] = started;
	logger.info({ database: database.describe }, 'database ready');
	return started;
}

/** The started app; throws when called before startApp (a programming error). */
export function app(): App {
	const started = (globalThis as Holder)[KEY];
	if (!started) throw new Error('CoLab has not been started: call startApp() first');
	return started;
}

export async function stopApp(): Promise<void> {
	const holder = globalThis as Holder;
	const started = holder[KEY];
	if (!started) return;
	delete holder[KEY];
	for (const stop of [...started.onStop].reverse()) {
		try {
			await stop();
		} catch (error) {
			logger.error({ err: error }, 'error while stopping');
		}
	}
}
