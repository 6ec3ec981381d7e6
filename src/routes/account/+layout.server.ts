import { requireUser } from '$lib/server/auth/auth.http';
import type { LayoutServerLoad } from './$types';

// Every page under /account is for the signed-in person only (actions check again themselves).
export const load: LayoutServerLoad = (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { account: { name: user.name, email: user.email } };
};
