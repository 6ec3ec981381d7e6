import { loadIntro, startAnswering } from '../answer.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const start = (event: RequestEvent) =>
	({ via: 'share', shareCode: event.params.code, actor: event.locals.user ?? null }) as const;

export const load: PageServerLoad = (event) => loadIntro(event, start(event));

export const actions: Actions = {
	default: (event) => startAnswering(event, start(event))
};
