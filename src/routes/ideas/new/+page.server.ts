import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { ideaRefusal } from '$lib/server/ideas/ideas.http';
import { ideaSchema } from '$lib/server/ideas/ideas.schema';
import { postIdea } from '$lib/server/ideas/ideas.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(ideaSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() => postIdea(app().database.db, user, form.data));
		if (!result.ok) return ideaRefusal(event, form.values, result);
		redirect(303, `/ideas/${result.slug}?notice=posted`);
	}
};
