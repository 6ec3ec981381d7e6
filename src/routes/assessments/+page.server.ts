import { app } from '$lib/server/app';
import { canEditFramework } from '$lib/server/assessments/assessments.permissions';
import { listMyAssessments } from '$lib/server/assessments/assessments.service';
import { lastDayText } from '$lib/server/assessments/assessments.http';
import { listSelfChecks } from '$lib/server/assessments/self-check.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (user) event.setHeaders({ 'cache-control': 'private, no-store' });
	const { db } = app().database;
	const [saved, mine] = user
		? await Promise.all([listSelfChecks(db, user), listMyAssessments(db, user)])
		: [[], []];
	const format = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeZone: app().config.timeZone
	});
	return {
		canEditFramework: canEditFramework(user),
		notice:
			user && event.url.searchParams.get('notice') === 'left'
				? 'You are no longer an owner of that check.'
				: null,
		mine: mine.map((a) => ({
			id: a.id,
			title: a.title,
			round: a.latestRound.number,
			open: a.latestRound.open,
			lastDay: lastDayText(a.latestRound.closesAt),
			submitted: a.latestRound.submitted
		})),
		saved: saved.map((s) => ({
			id: s.id,
			label: s.label,
			date: format.format(new Date(s.created_at))
		}))
	};
};
