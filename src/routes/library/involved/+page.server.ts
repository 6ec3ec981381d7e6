import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	answerInvolvement,
	myInvolvements,
	type InvolvementAnswer
} from '$lib/server/library/case-studies.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	consented: 'Thank you. Your name and role now show on the case study.',
	declined: 'Your name will not be shown.',
	withdrawn: 'Your name no longer shows on the case study.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const rows = await refusedAs403(() => myInvolvements(app().database.db, user));
	return {
		rows: rows.map((r) => ({
			id: r.id,
			slug: r.slug,
			title: r.title,
			role: r.role,
			state: r.state,
			askedBy: r.asked_by_name ?? 'A former member',
			published: r.published_version !== null
		})),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

async function answer(event: Parameters<Actions[string]>[0], choice: InvolvementAnswer) {
	const user = requireUser(event);
	const id = String((await event.request.formData()).get('id') ?? '');
	const state = await refusedAs403(() => answerInvolvement(app().database.db, user, id, choice));
	if (!state) error(404, 'We could not find that.');
	redirect(303, `/library/involved?notice=${state}`);
}

export const actions: Actions = {
	consent: (event) => answer(event, 'consent'),
	decline: (event) => answer(event, 'decline'),
	withdraw: (event) => answer(event, 'withdraw')
};
