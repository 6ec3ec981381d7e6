import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { caseStudyReviewQueue } from '$lib/server/library/case-studies.service';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	published: 'It is published, and its author is told.',
	'sent-back': 'It is sent back. Its author has your message in the site and by email.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const asked = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
	const queue = await refusedAs403(() => caseStudyReviewQueue(app().database.db, user, page));
	return {
		rows: queue.rows.map((r) => ({
			slug: r.slug,
			title: r.title,
			author: r.author_name ?? 'A former member',
			isUpdate: r.isUpdate,
			submittedAt: r.submitted_at
		})),
		page,
		more: queue.more,
		notice: event.url.searchParams.get('notice')
			? (NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null)
			: null
	};
};
