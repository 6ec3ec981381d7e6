import { isUniqueViolation } from './db/errors';

/** Thrown when someone tries something they may not do; routes turn it into a 403. */
export class ForbiddenError extends Error {
	readonly status = 403;
	constructor(message = 'You do not have permission to do that.') {
		super(message);
		this.name = 'ForbiddenError';
	}
}

/**
 * A use case that finds, inside a transaction, that it must refuse (the event is full, the round
 * has closed…) throws a Refusal: the transaction rolls back, and `refusable` hands the reason to
 * the caller as `{ ok: false, reason }`. Anything else thrown goes on up.
 */
export class Refusal<R extends string> extends Error {
	constructor(readonly reason: R) {
		super(reason);
		this.name = 'Refusal';
	}
}

export async function refusable<T, R extends string>(
	work: () => Promise<T>,
	onUnique?: R
): Promise<T | { ok: false; reason: R }> {
	try {
		return await work();
	} catch (caught) {
		if (caught instanceof Refusal) return { ok: false, reason: caught.reason as R };
		if (onUnique !== undefined && isUniqueViolation(caught)) return { ok: false, reason: onUnique };
		throw caught;
	}
}
