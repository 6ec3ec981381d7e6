import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import {
	ENQUIRY_NOT_FOUND,
	enquiryRefusal,
	enquirySite
} from '$lib/server/enquiries/enquiries.http';
import {
	LAST_LEAD_MESSAGE,
	cancelEnquiryInvitation,
	inviteToEnquiry,
	leaveEnquiry,
	linkSession,
	removeTeamMember,
	unlinkSession,
	viewTeam
} from '$lib/server/enquiries/enquiries.service';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	invited: 'Invitation sent. It works for 14 days.',
	cancelled: 'Invitation withdrawn: its link no longer works.',
	removed: 'They are no longer on the team.',
	linked: 'The session is linked to the enquiry.',
	unlinked: 'The session is no longer linked to the enquiry.'
};
const MESSAGES = {
	'last-lead': LAST_LEAD_MESSAGE,
	'not-a-member': 'They are no longer on the team.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() => viewTeam(app().database.db, user, event.params.id));
	if (!view) error(404, ENQUIRY_NOT_FOUND);
	const { timeZone } = app().config;
	const day = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone
		});
	return {
		...view,
		invitations: view.invitations.map((i) => ({ ...i, expires: day(i.expiresAt) })),
		sessions: view.sessions.map((s) => ({ ...s, when: day(s.starts_at) })),
		linkable: view.linkable.map((s) => ({ ...s, when: day(s.starts_at) })),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null,
		who: event.url.searchParams.get('who') ?? ''
	};
};

async function context(event: RequestEvent<{ id: string }>) {
	const user = requireUser(event);
	const values = formValues(await event.request.formData());
	const back = (notice: string, who = '') =>
		`/enquiries/${event.params.id}/team?notice=${notice}` +
		(who ? `&who=${encodeURIComponent(who)}` : '');
	return { user, db: app().database.db, id: event.params.id, values, back };
}

export const actions: Actions = {
	invite: async (event) => {
		const { user, db, id, values, back } = await context(event);
		const result = await refusedAs403(() => inviteToEnquiry(db, enquirySite(), user, id, values));
		if (result.ok) redirect(303, back('invited', result.email));
		return enquiryRefusal(event, values, result);
	},
	cancel: async (event) => {
		const { user, db, id, values, back } = await context(event);
		const result = await refusedAs403(() => cancelEnquiryInvitation(db, user, id, values));
		if (result.ok) redirect(303, back('cancelled', result.email));
		return enquiryRefusal(event, values, result);
	},
	remove: async (event) => {
		const { user, db, id, values, back } = await context(event);
		const result = await refusedAs403(() => removeTeamMember(db, user, id, values));
		if (result.ok) {
			if (values.userId === user.id) redirect(303, `/enquiries/${id}`);
			redirect(303, back('removed'));
		}
		return enquiryRefusal(event, values, result, MESSAGES);
	},
	leave: async (event) => {
		const { user, db, id, values } = await context(event);
		const result = await refusedAs403(() => leaveEnquiry(db, user, id));
		if (result.ok) redirect(303, `/enquiries/${id}`);
		return enquiryRefusal(event, values, result, MESSAGES);
	},
	link: async (event) => {
		const { user, db, id, values, back } = await context(event);
		const result = await refusedAs403(() => linkSession(db, user, id, values));
		if (result.ok) redirect(303, back('linked'));
		return enquiryRefusal(event, values, result);
	},
	unlink: async (event) => {
		const { user, db, id, values, back } = await context(event);
		const result = await refusedAs403(() => unlinkSession(db, user, id, values));
		if (result.ok) redirect(303, back('unlinked'));
		return enquiryRefusal(event, values, result);
	}
};
