import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid, type FormValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { eventsSite } from '$lib/server/events/events.http';
import {
	addTalkLinks,
	decideTalk,
	moveTalk,
	offerTalk,
	viewTalks,
	withdrawTalk
} from '$lib/server/events/talks.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	offered: 'Thank you! Your offer is with the host, who will reply by email.',
	accepted: 'The talk is in the programme. The speaker has been told.',
	declined: 'The talk is declined. The speaker has been told, with your message.',
	moved: 'The running order is changed.',
	withdrawn: 'Your talk is withdrawn.',
	links: 'The links are saved.'
};

export const load: PageServerLoad = async (event) => {
	const talks = await viewTalks(app().database.db, event.locals.user ?? null, event.params.id);
	if (!talks) error(404, 'Page not found');
	if (event.locals.user) event.setHeaders({ 'cache-control': 'private, no-store' });
	const notice = event.url.searchParams.get('notice') ?? '';
	return { talks, signedIn: !!event.locals.user, notice: NOTICES[notice] ?? null };
};

async function context(event: RequestEvent<{ id: string }>) {
	const user = requireUser(event);
	const values = formValues(await event.request.formData());
	const talk = typeof values.talk === 'string' ? values.talk : '';
	return { user, values, talk, db: app().database.db, back: `/events/${event.params.id}/talks` };
}

function refused(values: FormValues, reason: 'not_found' | 'closed') {
	if (reason === 'not_found') error(404, 'That talk was not found.');
	return invalid(values, { form: 'Talks can no longer be offered for this event.' }, 409);
}

/** Errors for one talk's form are keyed by the talk, so they show beside the right one. */
function keyed(talk: string, errors: Record<string, string>) {
	return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${k}-${talk}`, v]));
}

export const actions: Actions = {
	offer: async (event) => {
		const { user, values, db, back } = await context(event);
		const result = await refusedAs403(() => offerTalk(db, user, event.params.id, values));
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, result.errors);
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=offered`);
	},
	decide: async (event) => {
		const { user, values, talk, db, back } = await context(event);
		const result = await refusedAs403(() =>
			decideTalk(db, eventsSite(), user, event.params.id, talk, values)
		);
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, keyed(talk, result.errors));
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=${result.decision === 'accept' ? 'accepted' : 'declined'}`);
	},
	move: async (event) => {
		const { user, values, talk, db, back } = await context(event);
		const direction = values.direction === 'up' ? 'up' : 'down';
		const result = await refusedAs403(() => moveTalk(db, user, event.params.id, talk, direction));
		if (!result.ok) return refused(values, result.reason);
		redirect(303, `${back}?notice=moved#talk-${talk}`);
	},
	withdraw: async (event) => {
		const { user, values, talk, db, back } = await context(event);
		const result = await refusedAs403(() => withdrawTalk(db, user, event.params.id, talk));
		if (!result.ok) return refused(values, result.reason);
		redirect(303, `${back}?notice=withdrawn`);
	},
	links: async (event) => {
		const { user, values, talk, db, back } = await context(event);
		const result = await refusedAs403(() => addTalkLinks(db, user, event.params.id, talk, values));
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, keyed(talk, result.errors));
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=links#talk-${talk}`);
	}
};
