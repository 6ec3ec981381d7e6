import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { PILOT_NOT_FOUND } from '$lib/server/pilots/pilots.http';
import { invalid } from '$lib/server/forms';
import {
	followPilot,
	turnPilotIntoCaseStudy,
	unfollowPilot,
	viewPilot
} from '$lib/server/pilots/pilots.service';
import { enquiriesThatLedTo } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	started: 'Your pilot has started. Add your first entry when you have tried something.',
	saved: 'The pilot’s details are saved.',
	added: 'Your entry is added. Everyone following the pilot is told.',
	edited: 'The entry is saved.',
	following: 'You are following this pilot. We will tell you of each new entry.',
	unfollowed: 'You no longer follow this pilot.',
	left: 'You have left the pilot’s team.'
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const requested = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	// A pilot the viewer may not read is "not found", so its title never shows.
	const log = await viewPilot(app().database.db, locals.user, params.slug, page);
	if (!log) error(404, PILOT_NOT_FOUND);
	const notice = url.searchParams.get('notice') ?? '';
	const followedFrom = await enquiriesThatLedTo(app().database.db, 'pilot', log.pilot.id);
	return { ...log, followedFrom, notice: NOTICES[notice] ?? null };
};

export const actions: Actions = {
	follow: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			followPilot(app().database.db, user, event.params.slug)
		);
		if (!result.ok) error(404, PILOT_NOT_FOUND);
		redirect(303, `/pilots/${event.params.slug}?notice=following`);
	},
	caseStudy: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			turnPilotIntoCaseStudy(app().database.db, user, event.params.slug)
		);
		if (result.ok) redirect(303, `/library/${result.caseStudy.slug}/edit`);
		if (result.reason === 'not-found') error(404, PILOT_NOT_FOUND);
		if (result.reason === 'already') redirect(303, `/pilots/${event.params.slug}`);
		return invalid(
			{},
			{
				form: 'The pilot is still running. Change its status to finished first, then turn it into a case study.'
			},
			409
		);
	},
	unfollow: async (event) => {
		const user = requireUser(event);
		await refusedAs403(() => unfollowPilot(app().database.db, user, event.params.slug));
		redirect(303, `/pilots/${event.params.slug}?notice=unfollowed`);
	}
};
