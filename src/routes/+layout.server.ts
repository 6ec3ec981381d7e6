import type { LayoutServerLoad } from './$types';
import { app } from '$lib/server/app';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		siteName: app().config.siteName,
		user: user ? { id: user.id, name: user.name, role: user.role } : null
	};
};
