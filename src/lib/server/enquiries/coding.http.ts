import { error, type RequestEvent } from '@sveltejs/kit';
import { requireUser } from '../auth/auth.http';
import type { SessionUser } from '../auth/auth.types';
import { refusedAs403 } from '../http/refusals';

export const CODING_NOT_FOUND = 'We could not find that. It may have been merged or deleted.';

/**
 * A team page's read: signed in (else to sign-in), never cached, a refusal as 403 and nothing
 * there as 404.
 */
export async function teamRead<T>(
	event: RequestEvent,
	work: (user: SessionUser) => Promise<T | undefined>
): Promise<T> {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() => work(user));
	if (found === undefined) error(404, CODING_NOT_FOUND);
	return found;
}

/** A positive page number from the query string (1 when missing or nonsense). */
export function pageNumber(url: URL): number {
	const n = Number(url.searchParams.get('page') ?? '1');
	return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
