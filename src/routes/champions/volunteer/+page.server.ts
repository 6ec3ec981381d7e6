import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import {
	changeMyChampionStatus,
	myChampion,
	volunteer,
	volunteerChoices
} from '$lib/server/champions/champions.service';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	offered: 'Thank you. A curator will look at your offer soon, and you will be told.',
	saved: 'Your changes are saved.',
	paused:
		'You have paused. Members cannot ask you until you start again. Requests you hold stay with you.',
	resumed: 'Members can ask you again.',
	'stepped-down':
		'You have stepped down. Requests you held and had not finished went back to the people who asked.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const [mine, vocabulary] = await Promise.all([myChampion(db, user), volunteerChoices(db)]);
	return {
		mine: mine ?? null,
		serviceAreas: vocabulary.serviceAreas.map((t) => ({ value: t.id, label: t.label })),
		barriers: vocabulary.barriers.map((t) => ({ value: t.id, label: t.label })),
		dimensions: vocabulary.dimensions.map((d) => ({ value: d.key, label: d.title })),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

async function changeStatus(
	event: Parameters<Actions[string]>[0],
	choice: 'pause' | 'resume' | 'step-down'
) {
	const user = requireUser(event);
	await event.request.formData();
	const result = await refusedAs403(() => changeMyChampionStatus(app().database.db, user, choice));
	if (!result.ok)
		return invalid(
			{},
			{
				form:
					result.reason === 'not-champion'
						? 'You have not offered to be a champion yet.'
						: 'That does not apply to you now. The page shows where you are.'
			},
			409
		);
	redirect(
		303,
		`/champions/volunteer?notice=${choice === 'pause' ? 'paused' : choice === 'resume' ? 'resumed' : 'stepped-down'}`
	);
}

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const result = await refusedAs403(() => volunteer(app().database.db, user, data));
		if (!result.ok) return invalid(formValues(data), result.errors);
		redirect(
			303,
			`/champions/volunteer?notice=${result.status === 'waiting' ? 'offered' : 'saved'}`
		);
	},
	pause: (event) => changeStatus(event, 'pause'),
	resume: (event) => changeStatus(event, 'resume'),
	stepDown: (event) => changeStatus(event, 'step-down')
};
