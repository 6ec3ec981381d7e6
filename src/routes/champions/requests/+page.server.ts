import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { listMyRequests } from '$lib/server/champions/requests.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const notice =
		event.url.searchParams.get('notice') === 'suggested'
			? 'You passed the request on. The champion you chose is told, and so is the person who asked.'
			: null;
	return { ...(await listMyRequests(app().database.db, user)), notice };
};
