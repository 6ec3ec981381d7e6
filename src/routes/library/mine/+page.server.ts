import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { listMyCaseStudies } from '$lib/server/library/case-studies.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const asked = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
	const mine = await refusedAs403(() => listMyCaseStudies(app().database.db, user, page));
	return {
		rows: mine.rows.map((r) => ({
			slug: r.slug,
			title: r.title,
			stateLabel: r.stateLabel,
			message: r.review_state === 'returned' ? r.review_message : null
		})),
		page,
		more: mine.more
	};
};
