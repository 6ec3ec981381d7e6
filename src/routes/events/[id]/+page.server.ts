import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { clientOf, requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid, type FormValues } from '$lib/server/forms';
import { eventForCalendar, viewEvent } from '$lib/server/events/events.queries';
import { eventCover } from '$lib/server/events/events.service';
import { eventsSite, throttleRegistration } from '$lib/server/events/events.http';
import {
	cancelRegistration,
	claimOffer,
	registerMember,
	registerVisitor,
	REFUSAL_MESSAGES
} from '$lib/server/events/registrations.service';
import { calendarEventOf } from '$lib/server/events/events.ics';
import {
	eventJsonLd,
	googleCalendarUrl,
	jsonLdScriptContent,
	outlookCalendarUrl
} from '$lib/server/events/event-calendar';
import { formatDeadline, formatEventWhen } from '$lib/server/events/event-time';
import { markdownExcerpt, renderMarkdown } from '$lib/server/markdown';
import { viewCafe } from '$lib/server/events/cafe.service';
import { viewTalks } from '$lib/server/events/talks.service';
import { enquiriesOfEvent } from '$lib/server/enquiries/enquiries.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	created: 'Your event is published. People can now find it and register.',
	pending:
		'Your event is saved. Because it is your first, a curator checks it before it is published. We will email you when it is.',
	updated: 'Your changes are saved.',
	booked: 'You have a place. We have emailed you the details, with a file for your calendar.',
	waitlisted:
		'The event is full, so you are on the waitlist. We will email you if a place frees up.',
	'left-waitlist': 'You have left the waitlist.',
	'place-cancelled': 'Your place is cancelled. Thank you for letting us know.',
	claimed: 'The place is yours. We have emailed you the details.',
	cancelled: 'The event is cancelled. Everyone with a place has been told.',
	approved: 'The event is approved and published. The host has been told.',
	recorded: 'The record is saved. It shows here and in the past events list.'
};

export const load: PageServerLoad = async (event) => {
	const { db } = app().database;
	const { config } = app();
	const view = await viewEvent(db, event.locals.user ?? null, event.params.id);
	if (!view) error(404, 'Page not found');
	const mailEvent = (await eventForCalendar(db, view.event.id))!;
	const calendar = calendarEventOf(mailEvent, config);
	const mine = view.viewer.registration;
	const showOnlineLink = view.viewer.canManage || mine?.status === 'confirmed';
	const notice = event.url.searchParams.get('notice') ?? '';
	if (view.viewer.signedIn) event.setHeaders({ 'cache-control': 'private, no-store' });
	const viewer = event.locals.user ?? null;
	const [cafe, talks, enquiries] = await Promise.all([
		view.format.tools === 'cafe' ? viewCafe(db, viewer, view.event.id) : undefined,
		view.format.tools === 'lightning' ? viewTalks(db, viewer, view.event.id) : undefined,
		// The enquiries this session is part of (linked by their leads).
		view.event.format_id === 'enquiry' ? enquiriesOfEvent(db, view.event.id) : []
	]);
	return {
		...view,
		enquiries,
		event: {
			...view.event,
			// The online link is for people with a place (and the hosts) only.
			online_url: showOnlineLink ? view.event.online_url : null,
			has_online_url: !!view.event.online_url
		},
		when: formatEventWhen(view.event.starts_at, view.event.ends_at, config.timeZone),
		offerUntil: mine?.offer_expires_at
			? formatDeadline(mine.offer_expires_at, config.timeZone)
			: null,
		descriptionHtml: renderMarkdown(view.event.description),
		excerpt: markdownExcerpt(view.event.description, 200),
		cover: await eventCover(db, view.event),
		recordHtml: view.event.record_summary ? renderMarkdown(view.event.record_summary) : null,
		recordLinks: view.event.record_links?.split('\n').filter(Boolean) ?? [],
		started: view.event.starts_at <= new Date().toISOString(),
		cafe: cafe
			? {
					open: cafe.open,
					closed: !!cafe.closedAt,
					topics: cafe.topics.length,
					tables: cafe.topics
						.filter((t) => t.tableNumber !== null)
						.map((t) => ({
							id: t.id,
							number: t.tableNumber,
							title: t.title,
							host: t.tableHost,
							harvestHtml: t.harvest ? renderMarkdown(t.harvest) : null
						}))
				}
			: null,
		talks: talks
			? {
					programme: talks.programme.map((t) => ({
						id: t.id,
						title: t.title,
						speaker: t.speaker,
						minutes: t.minutes,
						slidesUrl: t.slidesUrl,
						videoUrl: t.videoUrl
					})),
					canOffer: talks.can.offer
				}
			: null,
		calendarLinks: {
			ics: `/events/${view.event.id}/event.ics`,
			google: googleCalendarUrl(calendar),
			outlook: outlookCalendarUrl(calendar)
		},
		// Structured data for search engines, for public events only.
		jsonLdElement:
			view.event.visibility === 'public'
				? `<script type="application/ld+json">${jsonLdScriptContent(eventJsonLd(calendar, config))}</script>`
				: null,
		url: calendar.url,
		notice: NOTICES[notice] ?? null
	};
};

function refusal(values: FormValues, reason: keyof typeof REFUSAL_MESSAGES) {
	return invalid(values, { form: REFUSAL_MESSAGES[reason] }, reason === 'not_found' ? 404 : 409);
}

async function mineOr404(event: RequestEvent<{ id: string }>) {
	const user = requireUser(event);
	const values = formValues(await event.request.formData());
	const registrationId = typeof values.registration === 'string' ? values.registration : '';
	if (!registrationId) error(400, 'Choose a registration');
	return { user, values, registrationId };
}

export const actions: Actions = {
	register: async (event) => {
		const user = requireUser(event);
		const { db } = app().database;
		const values = formValues(await event.request.formData());
		const limited = await throttleRegistration(db, clientOf(event).ip, user.email);
		if (!limited.ok) return tooManyAttempts(event, values, limited.retryAfterSeconds);
		const result = await registerMember(db, eventsSite(), user, event.params.id, values);
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, result.errors);
			return refusal(values, result.reason);
		}
		const notice = result.placement.status === 'confirmed' ? 'booked' : 'waitlisted';
		redirect(303, `/events/${event.params.id}?notice=${notice}#your-place`);
	},
	visitor: async (event) => {
		const { db } = app().database;
		const values = formValues(await event.request.formData());
		const email = typeof values.email === 'string' ? values.email.trim().toLowerCase() : '';
		const limited = await throttleRegistration(db, clientOf(event).ip, email);
		if (!limited.ok) return tooManyAttempts(event, values, limited.retryAfterSeconds);
		const result = await registerVisitor(db, eventsSite(), event.params.id, values);
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, result.errors);
			return refusal(values, result.reason);
		}
		// Land on what happens next, not on the event's form again.
		redirect(303, `/events/${event.params.id}/check-email`);
	},
	cancel: async (event) => {
		const { user, values, registrationId } = await mineOr404(event);
		const result = await cancelRegistration(app().database.db, eventsSite(), {
			member: user,
			registrationId
		});
		if (!result.ok) return refusal(values, result.reason);
		const notice = result.wasHolding ? 'place-cancelled' : 'left-waitlist';
		redirect(303, `/events/${event.params.id}?notice=${notice}`);
	},
	claim: async (event) => {
		const { user, values, registrationId } = await mineOr404(event);
		const result = await claimOffer(app().database.db, eventsSite(), {
			member: user,
			registrationId
		});
		if (!result.ok) return refusal(values, result.reason);
		redirect(303, `/events/${event.params.id}?notice=claimed#your-place`);
	}
};
