import { error, type RequestEvent } from '@sveltejs/kit';
import { app } from '../app';
import { tooManyAttempts } from '../auth/auth.http';
import { invalid, type FormValues } from '../forms';
import { describeIdeaRefusal, type IdeaFailure } from './ideas.service';

/** What a visitor or member reads for an idea that is not there. */
export const IDEA_NOT_FOUND = 'We could not find that idea. It may have been removed.';

/**
 * The answer to a use case's refusal: 404, 429 with the wait, or 400 with the message beside
 * `field` (or the fields the use case named), the form refilled as it was.
 */
export function ideaRefusal(
	event: RequestEvent,
	values: FormValues,
	result: IdeaFailure,
	field = 'form'
) {
	if (result.reason === 'not-found') error(404, IDEA_NOT_FOUND);
	if (result.reason === 'rate-limited')
		return tooManyAttempts(event, values, result.retryAfterSeconds);
	if (result.reason === 'invalid') return invalid(values, result.errors);
	const message = describeIdeaRefusal(result, app().config.timeZone);
	const status = result.reason === 'suspended' ? 403 : result.reason === 'removed' ? 410 : 409;
	return invalid(values, { [field]: message }, status);
}
