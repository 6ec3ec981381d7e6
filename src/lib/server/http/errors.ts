import type { Logger } from '../logger';

export interface ErrorInput {
	error: unknown;
	status: number;
	message: string;
	path: string;
	requestId: string | undefined;
}

/**
 * What a person sees when something unexpected fails, and what we log. The log line carries
 * the stack and the request id; the person gets a friendly message and the same id to quote.
 * Nothing from the error itself (which may hold internals) reaches the page.
 */
export function describeUnexpectedError(
	input: ErrorInput,
	log: Pick<Logger, 'error' | 'warn'>
): App.Error {
	const { error, status, path, requestId } = input;
	if (status === 404) return { message: 'Page not found', requestId };
	if (status >= 500) {
		log.error(
			{ err: error instanceof Error ? error : new Error(String(error)), path, status, requestId },
			'unexpected error'
		);
		return { message: 'Sorry, something went wrong on our side.', requestId };
	}
	log.warn({ path, status, requestId, reason: input.message }, 'request error');
	return { message: input.message, requestId };
}
