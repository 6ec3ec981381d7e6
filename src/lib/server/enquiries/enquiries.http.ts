import { error, type RequestEvent } from '@sveltejs/kit';
import { app } from '../app';
import { tooManyAttempts } from '../auth/auth.http';
import { invalid, type FieldErrors, type FormValues } from '../forms';
import type { EnquirySite } from './enquiries.mails';

/** What anyone reads for an enquiry (or a part of one) that is not there. */
export const ENQUIRY_NOT_FOUND = 'We could not find that enquiry.';

export function enquirySite(): EnquirySite {
	const { config } = app();
	return { siteName: config.siteName, origin: config.origin, timeZone: config.timeZone };
}

type Failure =
	| { ok: false; reason: 'not-found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
	| { ok: false; reason: string; message?: string };

/**
 * The answer to a use case's refusal: 404, 429 with the wait, or 400/409 with the message beside
 * the fields (or `form`), the form refilled as it was.
 */
export function enquiryRefusal(
	event: RequestEvent,
	values: FormValues,
	result: Failure,
	messages: Record<string, string> = {}
) {
	if (result.reason === 'not-found') error(404, ENQUIRY_NOT_FOUND);
	if (result.reason === 'rate-limited' && 'retryAfterSeconds' in result)
		return tooManyAttempts(event, values, result.retryAfterSeconds);
	if (result.reason === 'invalid' && 'errors' in result) return invalid(values, result.errors);
	return invalid(
		values,
		{ form: messages[result.reason] ?? 'That could not be done. Open the page again and retry.' },
		409
	);
}
