import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { createAssessment } from '$lib/server/assessments/assessments.service';
import { todayHere } from '$lib/server/assessments/assessments.http';
import { organisationsActorMayRepresent } from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const organisations = await organisationsActorMayRepresent(app().database.db, user.id);
	return {
		organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
		today: todayHere()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			createAssessment(app().database.db, user, values, new Date(), app().config.timeZone)
		);
		if (!result.ok) {
			if (result.reason === 'rate-limited')
				return tooManyAttempts(event, values, result.retryAfterSeconds);
			return invalid(values, result.errors);
		}
		redirect(303, `/assessments/${result.assessment.id}?notice=created`);
	}
};
