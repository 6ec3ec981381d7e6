import { fail } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, type FieldErrors } from '$lib/server/forms';
import {
	currentCheckFramework,
	profileOf,
	readCheckAnswers,
	saveSelfCheck
} from '$lib/server/assessments/self-check.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const framework = await currentCheckFramework(app().database.db);
	return {
		framework: {
			number: framework.number,
			dimensions: framework.dimensions.map((d) => ({
				id: d.id,
				title: d.title,
				description: d.description,
				statements: d.statements
			}))
		}
	};
};

export const actions: Actions = {
	/** Shows the profile; stores nothing. */
	results: async (event) => {
		const framework = await currentCheckFramework(app().database.db);
		const values = formValues(await event.request.formData());
		const answers = readCheckAnswers(framework, values);
		if (Object.keys(answers.ratings).length === 0) {
			const errors: FieldErrors = { form: 'Answer at least one statement to see a profile.' };
			return fail(400, { values, errors, profile: null, saved: false });
		}
		return { values, errors: null, profile: profileOf(framework, answers), saved: false };
	},
	/** A signed-in member keeps the check they just took. */
	save: async (event) => {
		const user = requireUser(event);
		const { db } = app().database;
		const framework = await currentCheckFramework(db);
		const values = formValues(await event.request.formData());
		const answers = readCheckAnswers(framework, values);
		const label = typeof values.label === 'string' ? values.label : '';
		const result = await saveSelfCheck(db, user, framework, answers, label);
		const profile = Object.keys(answers.ratings).length ? profileOf(framework, answers) : null;
		if (!result.ok) return fail(400, { values, errors: result.errors, profile, saved: false });
		return { values, errors: null, profile, saved: true };
	}
};
