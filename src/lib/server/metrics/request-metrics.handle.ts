import type { Handle } from '@sveltejs/kit';
import { recordRequest } from './record';

const passThrough: Handle = ({ event, resolve }) => resolve(event);

/**
 * Counts and times each request SvelteKit answers, by route id, method and status class
 * (record.ts). Outermost in the chain, so the time includes every other handle. With metrics
 * off it only passes the request on. Requests answered from the page cache never reach
 * SvelteKit; they are counted by the cache itself (colab_page_cache_lookups_total).
 */
export function requestMetricsHandle(enabled: boolean): Handle {
	if (!enabled) return passThrough;
	return async ({ event, resolve }) => {
		const started = performance.now();
		// SvelteKit turns errors into error pages; a throw here means no response at all.
		let status = 500;
		try {
			const response = await resolve(event);
			status = response.status;
			return response;
		} finally {
			recordRequest(
				event.route.id,
				event.request.method,
				status,
				(performance.now() - started) / 1000
			);
		}
	};
}
