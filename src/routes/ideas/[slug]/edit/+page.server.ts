import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { IDEA_NOT_FOUND, ideaRefusal } from '$lib/server/ideas/ideas.http';
import { ideaSchema } from '$lib/server/ideas/ideas.schema';
import { editIdea, ideaForEditing } from '$lib/server/ideas/ideas.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		ideaForEditing(app().database.db, user, event.params.slug)
	);
	if (!found) error(404, IDEA_NOT_FOUND);
	return found;
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(ideaSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			editIdea(app().database.db, user, event.params.slug, form.data)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result);
		redirect(303, `/ideas/${result.slug}?notice=saved`);
	}
};
