import { requireAdministrator } from '$lib/server/admin/admin.http';
import type { LayoutServerLoad } from './$types';

// Every page under /admin is for administrators only. Visitors are sent to sign in; anyone
// else gets a 403 page. Each page and action checks again, since actions skip this load.
export const load: LayoutServerLoad = (event) => {
	requireAdministrator(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {};
};
