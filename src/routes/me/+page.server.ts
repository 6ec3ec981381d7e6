import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { loadMyColab } from '$lib/server/my-colab/my-colab.registry';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		sections: await loadMyColab(app().database.db, user, { timeZone: app().config.timeZone })
	};
};
