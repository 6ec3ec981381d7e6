import { redirect } from '@sveltejs/kit';
import { accounts, clientOf } from '$lib/server/auth/auth.http';
import { signOut } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async (event) => {
		await signOut(accounts(), clientOf(event));
		redirect(303, '/?signed-out=1');
	}
};
