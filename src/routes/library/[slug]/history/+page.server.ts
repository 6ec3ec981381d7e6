import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { caseStudyHistory } from '$lib/server/library/case-studies.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const history = await caseStudyHistory(app().database.db, event.params.slug);
	if (!history) error(404, 'Page not found');
	return {
		slug: history.caseStudy.slug,
		title: history.entries[0]?.title ?? history.caseStudy.title,
		entries: history.entries
	};
};
