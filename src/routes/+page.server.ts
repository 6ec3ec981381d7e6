import type { PageServerLoad } from './$types';
import { app } from '$lib/server/app';
import { isSetupNeeded } from '$lib/server/auth/setup.service';
import { formatEventWhen } from '$lib/server/events/event-time';
import { listFormats } from '$lib/server/events/events.service';
import { nextEvents, type EventSummary } from '$lib/server/events/events.queries';
import { latestCafeHarvests, latestTalkProgrammes } from '$lib/server/events/highlights.service';
import { nowIso } from '$lib/server/ids';
import { loadMyColab } from '$lib/server/my-colab/my-colab.registry';
import { listFeaturedPosts } from '$lib/server/posts/blog.service';
import { coverOf } from './events/event-list.server';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** Cards the home page shows at most (this week's, or the next ones when the week is quiet). */
const CARDS = 6;

export const load: PageServerLoad = async ({ url, locals }) => {
	const { db } = app().database;
	const { timeZone } = app().config;
	const now = nowIso();
	const weekEnd = new Date(Date.parse(now) + WEEK_MS).toISOString();
	const [setupNeeded, upcoming, harvests, programmes, formats, featured, mine] = await Promise.all([
		isSetupNeeded(db),
		nextEvents(db, CARDS, now),
		latestCafeHarvests(db, 2, now),
		latestTalkProgrammes(db, 2, now),
		listFormats(db),
		listFeaturedPosts(db, 3, now),
		// Only signed-in pages, which are never cached, show a member's own things.
		locals.user
			? loadMyColab(db, locals.user, { timeZone, now, only: ['offers', 'places'], limit: 3 })
			: null
	]);
	const thisWeek = upcoming.filter((e) => e.starts_at < weekEnd);
	const card = (e: EventSummary) => {
		const left = e.capacity === null ? null : Math.max(0, e.capacity - e.places_taken);
		return {
			id: e.id,
			title: e.title,
			format: e.format_name,
			formatColour: e.format_colour,
			formatIcon: e.format_icon,
			cover: coverOf(e),
			when: formatEventWhen(e.starts_at, e.ends_at, timeZone),
			where:
				e.mode === 'online'
					? 'Online'
					: (e.venue_name ?? 'In person') + (e.mode === 'hybrid' ? ', or online' : ''),
			by: e.organisation_name ?? e.host_name,
			note:
				left === null
					? null
					: left === 0
						? 'Full: you can join the waitlist'
						: left <= 5
							? `${left} ${left === 1 ? 'place' : 'places'} left`
							: null,
			summary: e.summary || null
		};
	};
	return {
		// A new instance has nobody in it yet: lead whoever installed it to /setup.
		setupNeeded,
		signedOut: url.searchParams.has('signed-out'),
		// This week's events; when the week is quiet, the next few instead.
		events: {
			thisWeek: thisWeek.length > 0,
			cards: (thisWeek.length ? thisWeek : upcoming.slice(0, 3)).map(card)
		},
		harvests: harvests.map((h) => ({
			id: h.id,
			title: h.title,
			when: formatEventWhen(h.starts_at, h.ends_at, timeZone),
			tables: h.tables,
			moreTables: h.moreTables
		})),
		programmes: programmes.map((p) => ({
			id: p.id,
			title: p.title,
			when: formatEventWhen(p.starts_at, p.ends_at, timeZone),
			upcoming: p.ends_at > now,
			talks: p.talks,
			moreTalks: p.moreTalks
		})),
		formats: formats.map((f) => ({ id: f.id, name: f.name, description: f.description })),
		// Posts curators chose for the home page, the most recently featured first.
		featured: featured.map((p) => ({
			...p,
			date: new Date(p.publishedAt).toLocaleDateString('en-GB', {
				day: 'numeric',
				month: 'long',
				year: 'numeric',
				timeZone
			})
		})),
		mine: mine
			? {
					offers: mine.find((s) => s.id === 'offers')!,
					places: mine.find((s) => s.id === 'places')!
				}
			: null
	};
};
