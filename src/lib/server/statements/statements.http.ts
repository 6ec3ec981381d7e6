import { error, type RequestEvent } from '@sveltejs/kit';
import { tooManyAttempts } from '../auth/auth.http';
import { invalid, type FormValues } from '../forms';
import type { Invalid, NotFound, RateLimited } from './statements.service';

export const STATEMENT_NOT_FOUND =
	'The shared statement has not been started yet. Curators start it from a first draft.';
export const AMENDMENT_NOT_FOUND = 'We could not find that amendment. It may have been removed.';

/** The answer to a use case's refusal: 404, 429 with the wait, or 400 with messages by the fields. */
export function refusal(
	event: RequestEvent,
	values: FormValues,
	result: Invalid | NotFound | RateLimited,
	notFound = STATEMENT_NOT_FOUND
) {
	if (result.reason === 'not-found') error(404, notFound);
	if (result.reason === 'rate-limited')
		return tooManyAttempts(event, values, result.retryAfterSeconds);
	return invalid(values, result.errors);
}
