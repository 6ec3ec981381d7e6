import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { IDEA_NOT_FOUND, ideaRefusal } from '$lib/server/ideas/ideas.http';
import { stageSchema } from '$lib/server/ideas/ideas.schema';
import { STAGE_HINTS, STAGE_LABELS, moveIdea, viewIdea } from '$lib/server/ideas/ideas.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await viewIdea(app().database.db, user, event.params.slug);
	if (!view) error(404, IDEA_NOT_FOUND);
	if (!view.viewer.canMove)
		error(403, 'Only curators and the idea’s author can move an idea to another stage.');
	return {
		slug: view.idea.slug,
		title: view.idea.title,
		stage: view.idea.stage,
		stageLabel: view.idea.stageLabel,
		stages: Object.entries(STAGE_LABELS)
			.filter(([value]) => value !== view.idea.stage)
			.map(([value, label]) => ({
				value,
				label,
				hint: STAGE_HINTS[value as keyof typeof STAGE_HINTS]
			}))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(stageSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			moveIdea(app().database.db, user, event.params.slug, form.data)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result, 'stage');
		redirect(303, `/ideas/${event.params.slug}?notice=moved#history`);
	}
};
