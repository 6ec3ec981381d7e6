import type { PageServerLoad } from './$types';
import { app } from '$lib/server/app';
import { isSetupNeeded } from '$lib/server/auth/setup.service';
import { formatEventWhen } from '$lib/server/events/event-time';
import { nextEvents } from '$lib/server/events/events.queries';

export const load: PageServerLoad = async ({ url }) => {
	const { db } = app().database;
	const { timeZone } = app().config;
	const [setupNeeded, upcoming] = await Promise.all([isSetupNeeded(db), nextEvents(db, 3)]);
	return {
		// A new instance has nobody in it yet: lead whoever installed it to /setup.
		setupNeeded,
		signedOut: url.searchParams.has('signed-out'),
		nextEvents: upcoming.map((e) => ({
			id: e.id,
			title: e.title,
			format: e.format_name,
			when: formatEventWhen(e.starts_at, e.ends_at, timeZone),
			where:
				e.mode === 'online'
					? 'Online'
					: (e.venue_name ?? '') + (e.mode === 'hybrid' ? ', or online' : '')
		}))
	};
};
