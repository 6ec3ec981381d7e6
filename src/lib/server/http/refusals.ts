import { error } from '@sveltejs/kit';
import { ForbiddenError } from '../refusals';

/**
 * Runs a use case for a route and turns a refusal (a ForbiddenError thrown by `assertCan`) into
 * a 403 page with its plain-English message, instead of a 500.
 */
export async function refusedAs403<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (caught) {
		if (caught instanceof ForbiddenError) error(403, caught.message);
		throw caught;
	}
}
