import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { eventsSite } from '$lib/server/events/events.http';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { IDEA_NOT_FOUND, ideaRefusal } from '$lib/server/ideas/ideas.http';
import { ideaForTurningInto, turnIdeaInto } from '$lib/server/ideas/ideas.service';
import type { IdeaOutcomeKind } from '$lib/server/ideas/ideas.tables';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		ideaForTurningInto(app().database.db, user, event.params.slug)
	);
	if (!found) error(404, IDEA_NOT_FOUND);
	const asked = event.url.searchParams.get('kind') as IdeaOutcomeKind | null;
	const kind = asked && found.kinds.includes(asked) ? asked : null;
	return { ...found, kind, timeZone: app().config.timeZone };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const kind = String(values.kind ?? '') as IdeaOutcomeKind;
		const result = await refusedAs403(() =>
			turnIdeaInto(app().database.db, user, event.params.slug, kind, values, {
				site: eventsSite()
			})
		);
		if (!result.ok) return ideaRefusal(event, values, result);
		redirect(303, `/ideas/${event.params.slug}?notice=became`);
	}
};
