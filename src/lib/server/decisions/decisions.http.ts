import { error, type RequestEvent } from '@sveltejs/kit';
import { tooManyAttempts } from '../auth/auth.http';
import { invalid, type FieldErrors, type FormValues } from '../forms';

/** What someone reads for a decision that is not there, or a draft that is not theirs. */
export const DECISION_NOT_FOUND =
	'We could not find that decision. It may not have opened yet, or the address may be wrong.';

/** Plain-English messages for each refusal, shown beside the form (or at its top). */
export const REFUSAL_MESSAGES: Record<string, { field: string; message: string }> = {
	closed: {
		field: 'form',
		message:
			'This decision has closed, so responses can no longer be given or changed. Your earlier response, if any, is counted.'
	},
	'not-open': { field: 'form', message: 'This decision has not opened yet. Open it first.' },
	'not-draft': { field: 'form', message: 'This decision is already open.' },
	'closes-in-past': {
		field: 'form',
		message: 'Its closing time has passed. Edit the closing time, then open it.'
	},
	'already-closed': {
		field: 'form',
		message: 'This decision is already closed. Nothing has changed. You can write its outcome now.'
	},
	'has-responses': {
		field: 'form',
		message:
			'People have already responded, so the question cannot change: it would change what they answered. Close it and start a new round with the changed proposal instead.'
	},
	'anonymity-fixed': {
		field: 'anonymous',
		message:
			'Whether responses are anonymous was fixed when the decision opened, and cannot change now.'
	},
	'not-closed': {
		field: 'form',
		message: 'Close the decision first; then write its outcome or start a new round.'
	},
	'result-needed': { field: 'result', message: 'Say whether the proposal passed or not.' },
	'block-stands': {
		field: 'result',
		message:
			'A block (or a reasoned objection) stands, so the proposal cannot have passed. Choose “Not passed”, and address the block in a new round.'
	},
	'has-next': { field: 'form', message: 'This decision already has a next round.' }
};

type Failure = { ok: false; reason: string; errors?: FieldErrors; retryAfterSeconds?: number };

/** The answer to a use case's refusal: 404, 429 with the wait, or 400 with messages by the fields. */
export function refusal(event: RequestEvent, values: FormValues, result: Failure) {
	if (result.reason === 'not-found') error(404, DECISION_NOT_FOUND);
	if (result.reason === 'rate-limited')
		return tooManyAttempts(event, values, result.retryAfterSeconds ?? 60);
	if (result.reason === 'invalid') return invalid(values, result.errors ?? {});
	const known = REFUSAL_MESSAGES[result.reason] ?? {
		field: 'form',
		message: 'That could not be done.'
	};
	return invalid(values, { [known.field]: known.message }, 409);
}
