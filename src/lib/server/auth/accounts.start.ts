import type { RequestEvent } from '@sveltejs/kit';
import type { App } from '../app';
import { logger } from '../logger';
import { pruneRateLimits } from '../rate-limit/rate-limit.service';
import { startAuth, stopAuth, type Auth } from './auth';
import { deleteExpiredAuthRows } from './auth.repository';
import { prepareSetupCode } from './setup.service';

const CLEANUP_EVERY_MS = 60 * 60 * 1000;

/** Prints the first-run instructions where whoever started the server will see them. */
function printSetupCode(origin: string, code: string): void {
	const lines = [
		'',
		'──────────────────────────────────────────────────────────────',
		'  CoLab has no accounts yet.',
		`  To create the first administrator, open ${origin}/setup`,
		`  and enter this one-time setup code: ${code}`,
		'──────────────────────────────────────────────────────────────',
		''
	];
	console.log(lines.join('\n'));
}

/**
 * Starts accounts for the server: the auth instance (writing cookies through SvelteKit), the
 * first-run setup code when nobody has an account, and an hourly sweep of expired sessions,
 * one-time tokens and rate-limit windows.
 */
export async function startAccounts(
	started: App,
	getRequestEvent: () => RequestEvent
): Promise<Auth> {
	const auth = await startAuth(started, getRequestEvent);
	const code = await prepareSetupCode(started.database.db);
	if (code) printSetupCode(started.config.origin, code);

	const sweep = setInterval(() => {
		const db = started.database.db;
		Promise.all([deleteExpiredAuthRows(db), pruneRateLimits(db)]).catch((error: unknown) =>
			logger.warn({ err: error }, 'could not remove expired sessions and tokens')
		);
	}, CLEANUP_EVERY_MS);
	sweep.unref();
	started.onStop.push(() => {
		clearInterval(sweep);
		stopAuth();
	});
	return auth;
}
