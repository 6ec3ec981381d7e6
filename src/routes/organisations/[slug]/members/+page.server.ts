import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	cancelInvite,
	changeMemberRole,
	getMembersForAdmins,
	inviteToOrganisation,
	removeMember
} from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	invited: (who: string) => `We have emailed an invitation to ${who}. It works for 14 days.`,
	role: () => 'The member’s role has changed.',
	removed: () => 'The member has been removed.',
	withdrawn: (who: string) => `The invitation to ${who} has been withdrawn.`
} as const;

const LAST_ADMIN = 'An organisation needs at least one admin. Make someone else an admin first.';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() =>
		getMembersForAdmins(app().database.db, user, event.params.slug)
	);
	if (!view) error(404, 'Page not found');
	const notice = event.url.searchParams.get('notice') ?? '';
	const who = event.url.searchParams.get('who') ?? '';
	return {
		...view,
		you: user.id,
		notice: notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES](who) : null
	};
};

/** The organisation this page manages, and the signed-in person managing it. */
async function context(event: RequestEvent<{ slug: string }>) {
	const user = requireUser(event);
	const { db } = app().database;
	const view = await refusedAs403(() => getMembersForAdmins(db, user, event.params.slug));
	if (!view) error(404, 'Page not found');
	const values = formValues(await event.request.formData());
	const back = (notice: keyof typeof NOTICES, who = '') =>
		`/organisations/${view.organisation.slug}/members?notice=${notice}` +
		(who ? `&who=${encodeURIComponent(who)}` : '');
	return { user, db, organisation: view.organisation, values, back };
}

export const actions: Actions = {
	invite: async (event) => {
		const { user, db, organisation, values, back } = await context(event);
		const { config } = app();
		const site = { siteName: config.siteName, origin: config.origin, timeZone: config.timeZone };
		const result = await refusedAs403(() =>
			inviteToOrganisation(db, site, user, organisation.id, values)
		);
		if (result.ok) redirect(303, back('invited', result.email));
		if (result.reason === 'invalid') return invalid(values, result.errors);
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, values, result.retryAfterSeconds);
		error(404, 'Page not found');
	},
	role: async (event) => {
		const { user, db, organisation, values, back } = await context(event);
		const result = await refusedAs403(() => changeMemberRole(db, user, organisation.id, values));
		if (result.ok) {
			// Someone who stepped down no longer manages members: take them to the public page.
			if (values.userId === user.id && values.role === 'member')
				redirect(303, `/organisations/${organisation.slug}?notice=stepped-down`);
			redirect(303, back('role'));
		}
		if (result.reason === 'last-admin') return invalid(values, { form: LAST_ADMIN }, 409);
		if (result.reason === 'invalid') return invalid(values, result.errors);
		return invalid(values, { form: 'That person is no longer a member.' }, 409);
	},
	remove: async (event) => {
		const { user, db, organisation, values, back } = await context(event);
		const result = await refusedAs403(() => removeMember(db, user, organisation.id, values));
		if (result.ok || result.reason === 'not-a-member') {
			if (values.userId === user.id)
				redirect(303, `/organisations/${organisation.slug}?notice=left`);
			redirect(303, back('removed'));
		}
		if (result.reason === 'last-admin') return invalid(values, { form: LAST_ADMIN }, 409);
		if (result.reason === 'invalid') return invalid(values, result.errors);
		error(404, 'Page not found');
	},
	withdraw: async (event) => {
		const { user, db, organisation, values, back } = await context(event);
		const result = await refusedAs403(() => cancelInvite(db, user, organisation.id, values));
		if (result.ok) redirect(303, back('withdrawn', result.email));
		return invalid(values, { form: 'That invitation has already been used or withdrawn.' }, 409);
	}
};
