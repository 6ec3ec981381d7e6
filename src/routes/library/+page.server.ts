import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import {
	formatCaseStudyCursor,
	libraryPage,
	libraryQueryString,
	parseCaseStudyCursor,
	parseLibraryQuery
} from '$lib/server/library/case-studies.service';
import { CONTINUUM_STAGES, WORK_STATUSES } from '$lib/server/library/library.vocabulary';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const { db } = app().database;
	const query = parseLibraryQuery(url.searchParams);
	const afterParam = url.searchParams.get('after');
	const after = afterParam === null ? undefined : parseCaseStudyCursor(afterParam);
	if (afterParam !== null && !after)
		error(400, 'This link to a page of case studies is not complete. Start again from /library.');
	const page = await libraryPage(db, query, after);
	const qs = libraryQueryString(query);
	const next = page.next
		? `/library?${new URLSearchParams([...new URLSearchParams(qs), ['after', formatCaseStudyCursor(page.next)]]).toString()}`
		: null;
	const option = (value: string, label: string) => ({ value, label });
	return {
		query,
		filtered: !!qs,
		missing: page.missing,
		cards: page.cards,
		links: { first: `/library${qs ? `?${qs}` : ''}`, next, deep: !!after },
		signedIn: !!locals.user,
		filters: {
			area: page.words.serviceAreas.map((t) => option(t.slug, t.label)),
			stage: CONTINUUM_STAGES.map((s) => option(s.key, s.label)),
			benefit: page.words.benefits.map((t) => option(t.slug, t.label)),
			barrier: page.words.barriers.map((t) => option(t.slug, t.label)),
			dimension: page.words.dimensions.map((d) => option(d.key, d.title)),
			status: WORK_STATUSES.map((s) => option(s.key, s.label)),
			organisation: page.organisations.map((o) => option(o.slug, o.name))
		}
	};
};
