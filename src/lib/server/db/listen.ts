import pg from 'pg';
import { logger } from '../logger';

export interface ListenHandlers {
	/** A notification on the channel, with its payload ('' when none). */
	onNotification(payload: string): void;
	/** LISTEN is in place: from now on no notification is missed. */
	onListening?(): void;
	/** The connection dropped; notifications may have been missed until `onListening` again. */
	onLost?(): void;
}

export interface ListenOptions {
	/** Shown in pg_stat_activity, so the connection can be told apart (and ended, in specs). */
	applicationName: string;
	/** How long to wait before listening again after the connection drops, in ms. */
	reconnectMs?: number;
}

/**
 * Keeps a PostgreSQL connection LISTENing on `channel`, connecting again after it drops.
 * Notifications are delivered only when the sending transaction commits, in commit order.
 * Resolves once the first attempt has succeeded or failed (it keeps retrying after a failure);
 * returns a function that stops listening.
 */
export async function listenForNotifications(
	connectionString: string,
	channel: string,
	handlers: ListenHandlers,
	options: ListenOptions
): Promise<() => Promise<void>> {
	const reconnectMs = options.reconnectMs ?? 1000;
	let stopped = false;
	let listener: pg.Client | undefined;
	let retry: NodeJS.Timeout | undefined;

	async function listen(): Promise<void> {
		if (stopped) return;
		const client = new pg.Client({ connectionString, application_name: options.applicationName });
		let lost = false;
		const onLost = (error?: unknown) => {
			if (lost) return;
			lost = true;
			if (listener === client) listener = undefined;
			client.end().catch(() => {});
			if (stopped) return;
			logger.warn({ err: error, channel }, 'database listener lost its connection; reconnecting');
			handlers.onLost?.();
			retry = setTimeout(() => void listen(), reconnectMs);
			retry.unref();
		};
		client.on('error', onLost);
		client.on('end', () => onLost());
		client.on('notification', (message) => handlers.onNotification(message.payload ?? ''));
		try {
			await client.connect();
			await client.query(`LISTEN ${channel}`);
		} catch (error) {
			onLost(error);
			return;
		}
		if (stopped) {
			await client.end().catch(() => {});
			return;
		}
		listener = client;
		handlers.onListening?.();
	}
	await listen();

	return async () => {
		stopped = true;
		if (retry) clearTimeout(retry);
		await listener?.end().catch(() => {});
	};
}
