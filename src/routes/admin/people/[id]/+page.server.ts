import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { dateTimeFormatter, requireAdministrator } from '$lib/server/admin/admin.http';
import { changeRoleSchema } from '$lib/server/admin/admin.schema';
import { getPerson } from '$lib/server/admin/admin.service';
import { changeRole } from '$lib/server/auth/users.service';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const LAST_ADMINISTRATOR =
	'This is the only administrator. Make someone else an administrator first, so someone can still run the site.';

export const load: PageServerLoad = async (event) => {
	const user = requireAdministrator(event);
	const found = await getPerson(app().database.db, event.params.id);
	if (!found) error(404, 'Page not found');
	const date = dateTimeFormatter(app().config.timeZone);
	const changed = event.url.searchParams.get('changed');
	return {
		person: { ...found.person, joined: date(found.person.createdAt) },
		isYou: found.person.id === user.id,
		history: found.history.map((e) => ({
			id: e.id,
			when: date(e.createdAt),
			who: e.actorName,
			what: e.summary
		})),
		notice:
			changed === 'yes'
				? `${found.person.name} is now ${found.person.role === 'administrator' ? 'an' : 'a'} ${found.person.role}. The change is in the audit log.`
				: changed === 'no'
					? `${found.person.name} already had that role. Nothing changed.`
					: null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireAdministrator(event);
		const formData = await event.request.formData();
		formData.set('userId', event.params.id);
		const form = parseForm(changeRoleSchema, formData);
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			changeRole(app().database.db, user, event.params.id, form.data.role)
		);
		if (result.ok) {
			// An administrator who stepped down can no longer see this page.
			if (user.id === event.params.id && result.user.role !== 'administrator')
				redirect(303, '/account');
			redirect(303, `/admin/people/${event.params.id}?changed=${result.changed ? 'yes' : 'no'}`);
		}
		if (result.reason === 'not-found') error(404, 'Page not found');
		if (result.reason === 'last-administrator')
			return invalid(form.values, { role: LAST_ADMINISTRATOR }, 409);
		return invalid(form.values, { role: 'Choose a role' });
	}
};
