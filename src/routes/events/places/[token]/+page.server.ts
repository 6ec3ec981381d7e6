import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import { eventsSite } from '$lib/server/events/events.http';
import { formatDeadline, formatEventWhen } from '$lib/server/events/event-time';
import {
	cancelRegistration,
	claimOffer,
	confirmVisitorRegistration,
	REFUSAL_MESSAGES,
	registrationState,
	viewRegistration
} from '$lib/server/events/registrations.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	confirmed:
		'Your place is confirmed. We have emailed you the details, with a file for your calendar.',
	waitlisted:
		'Thank you. The event is full, so you are on the waitlist. We will email you if a place frees up.',
	claimed: 'The place is yours. We have emailed you the details.',
	cancelled: 'Done. Your registration is cancelled. Thank you for letting us know.'
};

/**
 * The page every registration email links to. The link is the key (signed, never stored), so
 * it works without an account; nothing changes until the person presses a button here, because
 * mail scanners open links by themselves.
 */
export const load: PageServerLoad = async (event) => {
	noStore(event);
	const { db } = app().database;
	const { timeZone } = app().config;
	const view = await viewRegistration(db, eventsSite(), { token: event.params.token });
	if (!view.ok) error(404, 'We could not find that registration. The link may be incomplete.');
	const { registration, event: e } = view;
	const row = await db
		.selectFrom('event')
		.select(['status', 'approval', 'starts_at', 'registration_opens_at', 'registration_closes_at'])
		.where('id', '=', e.id)
		.executeTakeFirstOrThrow();
	const notice = event.url.searchParams.get('notice') ?? '';
	return {
		status: registration.status,
		position: view.position,
		offerUntil: registration.offer_expires_at
			? formatDeadline(registration.offer_expires_at, timeZone)
			: null,
		event: {
			id: e.id,
			title: e.title,
			when: formatEventWhen(e.starts_at, e.ends_at, timeZone),
			status: e.status,
			mode: e.mode,
			where: [e.venue_name, e.venue_address].filter(Boolean).join(', '),
			onlineUrl: registration.status === 'confirmed' ? e.online_url : null
		},
		open: registrationState(row, new Date().toISOString()),
		notice: NOTICES[notice] ?? null
	};
};

export const actions: Actions = {
	confirm: async (event) => {
		const result = await confirmVisitorRegistration(
			app().database.db,
			eventsSite(),
			event.params.token
		);
		if (!result.ok) return invalid({}, { form: REFUSAL_MESSAGES[result.reason] }, 409);
		redirect(
			303,
			`?notice=${result.placement.status === 'confirmed' ? 'confirmed' : 'waitlisted'}`
		);
	},
	claim: async (event) => {
		const result = await claimOffer(app().database.db, eventsSite(), {
			token: event.params.token
		});
		if (!result.ok) return invalid({}, { form: REFUSAL_MESSAGES[result.reason] }, 409);
		redirect(303, '?notice=claimed');
	},
	cancel: async (event) => {
		const result = await cancelRegistration(app().database.db, eventsSite(), {
			token: event.params.token
		});
		if (!result.ok) return invalid({}, { form: REFUSAL_MESSAGES[result.reason] }, 409);
		redirect(303, '?notice=cancelled');
	}
};
