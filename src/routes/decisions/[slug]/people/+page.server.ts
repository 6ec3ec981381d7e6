import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { DECISION_NOT_FOUND, refusal } from '$lib/server/decisions/decisions.http';
import { personSchema } from '$lib/server/decisions/decisions.schema';
import {
	addPersonToDecision,
	removePersonFromGroup,
	viewPeople
} from '$lib/server/decisions/decisions.service';
import { parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

async function reach(slug: string, user: App.Locals['user']) {
	const people = await refusedAs403(() => viewPeople(app().database.db, user, slug));
	if (!people) error(404, DECISION_NOT_FOUND);
	return people;
}

const NOTICES: Record<string, string> = {
	facilitator: 'They can now facilitate this decision.',
	group: 'They are now in the named group.',
	removed: 'They are no longer in the named group.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const people = await reach(event.params.slug, user);
	return {
		slug: people.decision.slug,
		question: people.decision.question,
		audience: people.decision.audience,
		closed: people.decision.status === 'closed',
		facilitators: people.facilitators,
		group: people.group,
		participants: people.participants,
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

function adding(as: 'facilitator' | 'group') {
	return async (event: Parameters<Actions[string]>[0]) => {
		const user = requireUser(event);
		const people = await reach(event.params.slug ?? '', user);
		const form = parseForm(personSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors: form.errors });
		const result = await refusedAs403(() =>
			addPersonToDecision(app().database.db, user, people.decision.id, as, form.data.email)
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/decisions/${people.decision.slug}/people?notice=${as}`);
	};
}

export const actions: Actions = {
	facilitator: adding('facilitator'),
	group: adding('group'),
	remove: async (event) => {
		const user = requireUser(event);
		const people = await reach(event.params.slug, user);
		const userId = String((await event.request.formData()).get('userId') ?? '');
		const result = await refusedAs403(() =>
			removePersonFromGroup(app().database.db, user, people.decision.id, userId)
		);
		if (!result.ok) return refusal(event, {}, result);
		redirect(303, `/decisions/${people.decision.slug}/people?notice=removed`);
	}
};
