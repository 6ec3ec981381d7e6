import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formatDate } from '$lib/server/events/event-time';
import { viewSavedCheck } from '$lib/server/assessments/self-check.service';
import type { PageServerLoad } from './$types';

/** A check the member took on their own and saved: theirs alone. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const check = await viewSavedCheck(app().database.db, user, event.params.id);
	if (!check) error(404, 'Page not found');
	return {
		check: {
			label: check.label,
			savedOn: formatDate(check.createdAt, app().config.timeZone),
			frameworkNumber: check.frameworkNumber,
			olderFramework: check.olderFramework,
			profile: check.profile
		}
	};
};
