import { error, type RequestEvent } from '@sveltejs/kit';
import { tooManyAttempts } from '../auth/auth.http';
import { invalid, type FormValues } from '../forms';
import type { Invalid, NotFound, RateLimited } from './pilots.service';

/** What a visitor or member reads for a pilot that is not there or not for them. */
export const PILOT_NOT_FOUND =
	'We could not find that pilot. Some pilots can only be read by signed-in members, or only by their own team.';

/** The answer to a use case's refusal: 404, 429 with the wait, or 400 with messages by the fields. */
export function refusal(
	event: RequestEvent,
	values: FormValues,
	result: Invalid | NotFound | RateLimited
) {
	if (result.reason === 'not-found') error(404, PILOT_NOT_FOUND);
	if (result.reason === 'rate-limited')
		return tooManyAttempts(event, values, result.retryAfterSeconds);
	return invalid(values, result.errors);
}
