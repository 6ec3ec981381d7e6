import { randomUUID } from 'node:crypto';
import type { Handle } from '@sveltejs/kit';
import { logger } from '../logger';
import { loggablePath } from './loggable-path';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/**
 * Gives each request an id (a trusted proxy's X-Request-Id when it looks like one, otherwise a
 * new one), a child logger carrying it, and one JSON log line when it completes.
 */
export function requestContextHandle(trustProxyRequestId: boolean): Handle {
	return async ({ event, resolve }) => {
		const started = performance.now();
		const incoming = event.request.headers.get('x-request-id');
		const requestId =
			trustProxyRequestId && incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
		event.locals.requestId = requestId;
		event.locals.log = logger.child({ requestId });
		const response = await resolve(event);
		response.headers.set('x-request-id', requestId);
		event.locals.log.info(
			{
				method: event.request.method,
				path: loggablePath(event.url.pathname),
				status: response.status,
				ms: Math.round((performance.now() - started) * 10) / 10,
				user: event.locals.user?.id
			},
			'request'
		);
		return response;
	};
}
