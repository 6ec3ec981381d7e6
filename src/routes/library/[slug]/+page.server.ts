import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { viewCaseStudy } from '$lib/server/library/case-studies.service';
import { pilotForCaseStudy } from '$lib/server/pilots/pilots.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { config } = app();
	const found = await viewCaseStudy(
		app().database.db,
		event.locals.user ?? null,
		event.params.slug
	);
	// An unpublished case study is for its author and curators only: to anyone else, not there.
	if (!found) error(404, 'Page not found');
	if (!found.published) event.setHeaders({ 'cache-control': 'private, no-store' });
	// The pilot whose log this case study came from, linked for those who may read the log. A
	// team-only log is not named here at all: its title is the team's.
	const pilot = await pilotForCaseStudy(app().database.db, found.caseStudy.id);
	const pilotShown =
		pilot &&
		(pilot.visibility === 'public' || (pilot.visibility === 'members' && !!event.locals.user));
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: config.timeZone
		});
	return {
		slug: found.caseStudy.slug,
		view: found.view,
		people: found.people.map((p) => ({ name: p.name, role: p.role })),
		published: found.published,
		version: found.version,
		updated: date(found.updatedAt),
		canEdit: found.canEdit,
		canReview: found.canReview,
		changesWaiting: found.changesWaiting && found.canEdit,
		origin: config.origin,
		address: `${config.origin}/library/${found.caseStudy.slug}`,
		pilot: pilotShown ? { href: `/pilots/${pilot.slug}`, title: pilot.title } : null
	};
};
