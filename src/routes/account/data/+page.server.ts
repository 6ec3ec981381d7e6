import { requireUser } from '$lib/server/auth/auth.http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};
