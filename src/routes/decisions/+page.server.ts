import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { listDecisions } from '$lib/server/decisions/decisions.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const requested = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await listDecisions(app().database.db, user, page, app().config.timeZone);
	return { ...list, page: Math.min(page, list.totalPages) };
};
