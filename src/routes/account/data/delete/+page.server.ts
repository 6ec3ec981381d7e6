import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { countPeopleByRole } from '$lib/server/admin/admin.service';
import { accounts, clientOf, requireUser } from '$lib/server/auth/auth.http';
import { signOut } from '$lib/server/auth/auth.service';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { deleteAccountSchema } from '$lib/server/your-data/your-data.schema';
import { deleteMyAccount, whatDeletionDoes } from '$lib/server/your-data/your-data.service';
import type { Actions, PageServerLoad } from './$types';

const LAST_ADMINISTRATOR =
	'You are the only administrator. Make someone else an administrator first, so someone can still run the site.';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const onlyAdministrator =
		user.role === 'administrator' &&
		(await countPeopleByRole(app().database.db)).administrator <= 1;
	return { explained: whatDeletionDoes(), email: user.email, onlyAdministrator };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(deleteAccountSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const { config, database } = app();
		const result = await refusedAs403(() =>
			deleteMyAccount(database.db, user, {
				contributions: form.data.contributions,
				site: { siteName: config.siteName, origin: config.origin }
			})
		);
		if (!result.ok) {
			if (result.reason === 'last-administrator')
				return invalid(form.values, { form: LAST_ADMINISTRATOR }, 409);
			// Already gone (deleted in another tab): carry on as if this request did it.
		}
		// Their sessions are gone already; this clears the cookie from this browser too.
		await signOut(accounts(), clientOf(event));
		redirect(303, '/account-deleted');
	}
};
