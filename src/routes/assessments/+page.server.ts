import { app } from '$lib/server/app';
import { canEditFramework } from '$lib/server/assessments/assessments.permissions';
import { listSelfChecks } from '$lib/server/assessments/self-check.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (user) event.setHeaders({ 'cache-control': 'private, no-store' });
	const saved = user ? await listSelfChecks(app().database.db, user) : [];
	const format = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeZone: app().config.timeZone
	});
	return {
		canEditFramework: canEditFramework(user),
		saved: saved.map((s) => ({
			id: s.id,
			label: s.label,
			date: format.format(new Date(s.created_at))
		}))
	};
};
