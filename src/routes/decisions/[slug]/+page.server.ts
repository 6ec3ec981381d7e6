import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { DECISION_NOT_FOUND, refusal } from '$lib/server/decisions/decisions.http';
import {
	POSITION_LABELS,
	closeDecision,
	openDecision,
	respondToDecision,
	responseValues,
	viewDecision
} from '$lib/server/decisions/decisions.service';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { enquiriesThatLedTo } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	started: 'Your decision is saved as a draft. Check it, then open it to invite people.',
	saved: 'The decision is saved.',
	opened: 'The decision is open. Everyone taking part has been invited.',
	responded: 'Your response is saved. You can change it until the decision closes.',
	changed: 'Your response is changed. You can change it again until the decision closes.',
	closed: 'The decision is closed. Write its outcome next.',
	outcome: 'The outcome is published, and everyone who took part is told.',
	round: 'The new round is saved as a draft. Check it, then open it.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await viewDecision(
		app().database.db,
		user,
		event.params.slug,
		app().config.timeZone
	);
	if (!view) error(404, DECISION_NOT_FOUND);
	const notice = event.url.searchParams.get('notice') ?? '';
	return {
		...view,
		followedFrom: await enquiriesThatLedTo(app().database.db, 'decision', view.decision.id),
		positions: POSITION_LABELS,
		responseValues: responseValues(view.mine),
		notice: NOTICES[notice] ?? null
	};
};

async function decisionId(slug: string, user: App.Locals['user']) {
	const view = await viewDecision(app().database.db, user, slug, app().config.timeZone);
	if (!view) error(404, DECISION_NOT_FOUND);
	return view.decision.id;
}

export const actions: Actions = {
	respond: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const id = await decisionId(event.params.slug, user);
		const numbers: Record<string, string> = {};
		for (const [key, value] of Object.entries(values))
			if (key.startsWith('value-') && typeof value === 'string') numbers[key.slice(6)] = value;
		const result = await refusedAs403(() =>
			respondToDecision(app().database.db, user, id, {
				position: typeof values.position === 'string' ? values.position : undefined,
				reason: typeof values.reason === 'string' ? values.reason : '',
				chosen: data.getAll('chosen').filter((v): v is string => typeof v === 'string'),
				values: numbers
			})
		);
		if (!result.ok) return refusal(event, values, result);
		redirect(
			303,
			`/decisions/${event.params.slug}?notice=${result.changed ? 'changed' : 'responded'}#your-response`
		);
	},
	open: async (event) => {
		const user = requireUser(event);
		const id = await decisionId(event.params.slug, user);
		const result = await refusedAs403(() => openDecision(app().database.db, user, id));
		if (!result.ok) return refusal(event, {}, result);
		redirect(303, `/decisions/${event.params.slug}?notice=opened`);
	},
	close: async (event) => {
		const user = requireUser(event);
		const id = await decisionId(event.params.slug, user);
		const result = await refusedAs403(() => closeDecision(app().database.db, user, id));
		if (!result.ok) return refusal(event, {}, result);
		redirect(303, `/decisions/${event.params.slug}/outcome?notice=closed`);
	}
};
