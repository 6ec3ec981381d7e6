import { app } from '$lib/server/app';
import { sessionCacheFor } from '$lib/server/auth/session-cache';
import { requireUser } from '$lib/server/auth/auth.http';
import { accountHasPassword } from '$lib/server/auth/auth.service';
import type { PageServerLoad } from './$types';

const CHANGES = {
	confirmed: 'Your email address is confirmed. Welcome!',
	email: 'Your email address has changed.',
	password: 'Your password has changed. You are signed out everywhere else.',
	'signed-out-others': 'You are signed out of every other device.',
	'set-up': 'CoLab is set up and you are its first administrator.',
	'set-up-no-contact':
		'CoLab is set up and you are its first administrator. People have no way to contact you yet: add your contact details in Admin, under Settings.'
} as const;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const changed = event.url.searchParams.get('changed') ?? '';
	return {
		hasPassword: await accountHasPassword(
			app().database.db,
			user.id,
			sessionCacheFor(event.request)
		),
		notice: changed in CHANGES ? CHANGES[changed as keyof typeof CHANGES] : null
	};
};
