import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import {
	closeSchema,
	declineSchema,
	messageSchema,
	suggestSchema
} from '$lib/server/champions/champions.schema';
import { championChoices } from '$lib/server/champions/champions.service';
import {
	acceptRequest,
	closeRequest,
	declineRequest,
	describeRequestRefusal,
	sendMessage,
	shareContact,
	suggestChampion,
	viewRequest,
	type RequestFailure
} from '$lib/server/champions/requests.service';
import { formValues, invalid, parseForm, type FormValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	asked:
		'Your request is sent. The champion is told in CoLab and by email. You are told when they answer.',
	accepted: 'You accepted. Write to them below.',
	declined: 'You declined. They can read your note.',
	suggested: 'You passed the request on. They are told, and so is the person who asked.',
	sent: 'Your message is sent.',
	shared: 'Your contact details are shared on this request.',
	closed: 'The request is closed. Thank you for saying whether it helped.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const request = await refusedAs403(() => viewRequest(db, user, event.params.id));
	if (!request) error(404, 'We could not find that request.');
	const choices = request.can.answer
		? await championChoices(db, request.excludedFromSuggestions)
		: [];
	return {
		request,
		choices: choices.map((c) => ({ value: c.id, label: c.name })),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

/** A refusal beside the field it concerns, everything typed kept. */
function refused(event: RequestEvent, values: FormValues, field: string, result: RequestFailure) {
	if (result.reason === 'rate-limited')
		return tooManyAttempts(event, values, result.retryAfterSeconds ?? 60);
	if (result.reason === 'gone') error(404, 'We could not find that request.');
	return invalid(values, { [field]: describeRequestRefusal(result) }, 409);
}

const here = (event: RequestEvent, notice: string) =>
	redirect(303, `/champions/requests/${event.params.id}?notice=${notice}`);

function site() {
	const { config } = app();
	return { siteName: config.siteName, origin: config.origin };
}

export const actions: Actions = {
	accept: async (event) => {
		const user = requireUser(event);
		await event.request.formData();
		const id = event.params.id ?? '';
		const result = await refusedAs403(() => acceptRequest(app().database.db, user, id));
		if (!result.ok) return refused(event, {}, 'form', result);
		here(event, 'accepted');
	},
	decline: async (event) => {
		const user = requireUser(event);
		const form = parseForm(declineSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const id = event.params.id ?? '';
		const result = await refusedAs403(() =>
			declineRequest(app().database.db, user, id, form.data.declineNote)
		);
		if (!result.ok) return refused(event, form.values, 'declineNote', result);
		here(event, 'declined');
	},
	suggest: async (event) => {
		const user = requireUser(event);
		const form = parseForm(suggestSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const id = event.params.id ?? '';
		const result = await refusedAs403(() =>
			suggestChampion(
				app().database.db,
				user,
				id,
				{ championId: form.data.championId, note: form.data.suggestNote },
				site()
			)
		);
		if (!result.ok) return refused(event, form.values, 'championId', result);
		// The request is no longer theirs to read: back to their list, with a word of thanks.
		redirect(303, '/champions/requests?notice=suggested');
	},
	message: async (event) => {
		const user = requireUser(event);
		const form = parseForm(messageSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const id = event.params.id ?? '';
		const result = await refusedAs403(() =>
			sendMessage(app().database.db, user, id, form.data.body)
		);
		if (!result.ok) return refused(event, form.values, 'body', result);
		here(event, 'sent');
	},
	share: async (event) => {
		const user = requireUser(event);
		await event.request.formData();
		const id = event.params.id ?? '';
		const result = await refusedAs403(() => shareContact(app().database.db, user, id));
		if (!result.ok) return refused(event, {}, 'form', result);
		here(event, 'shared');
	},
	close: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const form = parseForm(closeSchema, data);
		if (!form.ok) return invalid(formValues(data), form.errors);
		const id = event.params.id ?? '';
		const result = await refusedAs403(() =>
			closeRequest(app().database.db, user, id, {
				outcome: form.data.outcome,
				note: form.data.closeNote
			})
		);
		if (!result.ok) return refused(event, form.values, 'outcome', result);
		here(event, 'closed');
	}
};
