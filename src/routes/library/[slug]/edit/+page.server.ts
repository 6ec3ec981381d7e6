import { error, fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { caseStudyActions, caseStudyEditorData } from '$lib/server/library/case-studies.http';
import {
	askInvolvement,
	findCaseStudyForEditing,
	removeInvolvement,
	reviewStateLabel
} from '$lib/server/library/case-studies.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	draft: 'Your draft is saved. Nobody else can see it yet.',
	waiting: 'Thank you. It is with the curators now; we will tell you when they have read it.',
	returned: 'Your changes are saved. Submit it again when you are ready.',
	published: 'It is published.',
	asked: 'We have asked them. Their name shows only once they say yes.',
	removed: 'They are no longer named on it.'
};

export const load: PageServerLoad = async (event) => {
	const editor = await caseStudyEditorData(event);
	const user = requireUser(event);
	const found = await refusedAs403(() =>
		findCaseStudyForEditing(app().database.db, user, event.params.slug)
	);
	if (!found) error(404, 'Page not found');
	const { caseStudy, values, people } = found;
	return {
		...editor,
		caseStudy: {
			slug: caseStudy.slug,
			title: caseStudy.title,
			state: caseStudy.review_state,
			stateLabel: reviewStateLabel(caseStudy),
			message: caseStudy.review_state === 'returned' ? caseStudy.review_message : null,
			published: caseStudy.published_version !== null
		},
		values,
		people: people.map((p) => ({ id: p.id, name: p.name, role: p.role, state: p.state })),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

export const actions: Actions = {
	...caseStudyActions((event) => event.params.slug),
	askPerson: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const raw = { person: String(data.get('person') ?? ''), role: String(data.get('role') ?? '') };
		const result = await refusedAs403(() =>
			askInvolvement(app().database.db, user, event.params.slug, raw)
		);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Page not found');
			return invalid(raw, result.errors, result.status ?? 400);
		}
		redirect(303, `/library/${event.params.slug}/edit?notice=asked#people`);
	},
	removePerson: async (event) => {
		const user = requireUser(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		const removed = await refusedAs403(() =>
			removeInvolvement(app().database.db, user, event.params.slug, id)
		);
		if (!removed) return fail(404, { values: {}, errors: { form: 'They are not named on it.' } });
		redirect(303, `/library/${event.params.slug}/edit?notice=removed#people`);
	}
};
