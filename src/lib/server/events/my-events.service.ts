import { sql, type Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { MyColabItem, MyColabLoadOptions } from '../my-colab/my-colab.types';
import { formatDate, formatEventWhen, formatTime } from './event-time';
import { ACCESS_NEEDS, type EventMode, type TalkStatus } from './events.tables';

// The member's own events for My CoLab: each function reads one section in one query (a
// waitlist position and a host's counts are subqueries of that query, not a query per row).

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function whereOf(e: { mode: EventMode; venue_name: string | null }): string {
	if (e.mode === 'online') return 'Online';
	const venue = e.venue_name ?? 'In person';
	return e.mode === 'hybrid' ? `${venue}, or online` : venue;
}

/** "6pm on Thursday 3 December 2026". */
export function offerDeadlineText(iso: string, timeZone: string): string {
	return `${formatTime(iso, timeZone)} on ${formatDate(iso, timeZone)}`;
}

function calendarAction(eventId: string, title: string) {
	return {
		href: `/events/${eventId}/event.ics`,
		label: 'Add to calendar',
		context: `for ${title}`,
		download: true
	};
}

/** Places held for the member after someone else gave theirs up, soonest deadline first. */
export async function myOffers(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('event_registration as r')
		.innerJoin('event as e', 'e.id', 'r.event_id')
		.select([
			'r.id',
			'r.offer_expires_at',
			'e.id as event_id',
			'e.title',
			'e.starts_at',
			'e.ends_at'
		])
		.where('r.user_id', '=', member.id)
		.where('r.status', '=', 'offered')
		// An offer past its time waits only for the worker to pass it on: it cannot be taken.
		.where('r.offer_expires_at', '>', o.now)
		.orderBy('r.offer_expires_at')
		.orderBy('r.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		href: `/events/${r.event_id}#your-place`,
		details: [
			`Take it by ${offerDeadlineText(r.offer_expires_at!, o.timeZone)}. After that, it goes to the next person waiting.`,
			formatEventWhen(r.starts_at, r.ends_at, o.timeZone)
		],
		actions: [
			{
				href: `/events/${r.event_id}#your-place`,
				label: 'Take the place',
				context: `at ${r.title}`
			}
		]
	}));
}

/** Events the member has a place at that have not ended, soonest first. */
export async function myPlaces(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('event_registration as r')
		.innerJoin('event as e', 'e.id', 'r.event_id')
		.select([
			'r.id',
			'r.places',
			'e.id as event_id',
			'e.title',
			'e.starts_at',
			'e.ends_at',
			'e.mode',
			'e.venue_name'
		])
		.where('r.user_id', '=', member.id)
		.where('r.status', '=', 'confirmed')
		.where('e.status', '=', 'scheduled')
		.where('e.ends_at', '>', o.now)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		href: `/events/${r.event_id}`,
		details: [
			formatEventWhen(r.starts_at, r.ends_at, o.timeZone),
			whereOf(r),
			...(r.places > 1 ? ['A place for you and one for your companion'] : [])
		],
		actions: [calendarAction(r.event_id, r.title)]
	}));
}

/** Waitlists the member is on for events that have not ended, with where they stand. */
export async function myWaitlists(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('event_registration as r')
		.innerJoin('event as e', 'e.id', 'r.event_id')
		.select((eb) => [
			'r.id',
			'e.id as event_id',
			'e.title',
			'e.starts_at',
			'e.ends_at',
			// Those ahead in the queue (event_registration_queue_idx answers it from the index).
			eb
				.selectFrom('event_registration as w')
				.select((x) => x.fn.countAll<number>().as('n'))
				.whereRef('w.event_id', '=', 'r.event_id')
				.where('w.status', '=', 'waitlisted')
				.whereRef('w.queue_number', '<', 'r.queue_number')
				.as('ahead')
		])
		.where('r.user_id', '=', member.id)
		.where('r.status', '=', 'waitlisted')
		.where('e.status', '=', 'scheduled')
		.where('e.ends_at', '>', o.now)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		href: `/events/${r.event_id}`,
		details: [
			`You are number ${Number(r.ahead ?? 0) + 1} on the waitlist. We will email you if a place frees up.`,
			formatEventWhen(r.starts_at, r.ends_at, o.timeZone)
		],
		actions: []
	}));
}

/** Events the member hosts that have not ended (cancelled ones left out), soonest first. */
export async function myHostedEvents(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const anyNeed = sql.join(
		ACCESS_NEEDS.map((need) => sql`${sql.ref(`x.need_${need}`)} = 1`),
		sql` or `
	);
	const rows = await db
		.selectFrom('event as e')
		.select((eb) => [
			'e.id',
			'e.title',
			'e.starts_at',
			'e.ends_at',
			'e.capacity',
			'e.places_taken',
			'e.approval',
			'e.visibility',
			// People holding a place who told the host about an access need, as the attendees
			// page counts them.
			eb
				.selectFrom('event_registration as x')
				.select((c) => c.fn.countAll<number>().as('n'))
				.whereRef('x.event_id', '=', 'e.id')
				.where('x.status', 'in', ['confirmed', 'offered'])
				.where(sql<boolean>`(${anyNeed})`)
				.as('needs')
		])
		.where('e.host_id', '=', member.id)
		.where('e.status', '=', 'scheduled')
		.where('e.ends_at', '>', o.now)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((e) => {
		const needs = Number(e.needs ?? 0);
		const places =
			e.capacity === null
				? `${count(e.places_taken, 'place', 'places')} taken (no limit)`
				: `${e.places_taken} of ${count(e.capacity, 'place', 'places')} taken, ${Math.max(0, e.capacity - e.places_taken)} left`;
		return {
			id: e.id,
			title: e.title,
			href: `/events/${e.id}`,
			details: [
				formatEventWhen(e.starts_at, e.ends_at, o.timeZone),
				places,
				needs
					? `${count(needs, 'person has', 'people have')} told you about access needs`
					: 'Nobody has told you about access needs yet',
				...(e.approval === 'pending' ? ['Waiting for a curator to publish it'] : []),
				...(e.visibility === 'unlisted' ? ['Unlisted: only people with the link see it'] : [])
			],
			actions: [
				{ href: `/events/${e.id}/attendees`, label: 'See who is coming', context: `to ${e.title}` }
			]
		};
	});
}

/** Topics the member proposed at Knowledge Cafés, latest event first. */
export async function myCafeTopics(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('event_cafe_topic as t')
		.innerJoin('event as e', 'e.id', 't.event_id')
		.select([
			't.id',
			't.title',
			't.table_number',
			't.harvest',
			'e.id as event_id',
			'e.title as event_title',
			'e.starts_at',
			'e.status',
			'e.cafe_vote_closed_at'
		])
		.where('t.proposed_by', '=', member.id)
		.orderBy('e.starts_at', 'desc')
		.orderBy('t.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((t) => {
		const state =
			t.status === 'cancelled'
				? 'The café was cancelled'
				: t.cafe_vote_closed_at === null
					? 'Voting is open'
					: t.table_number !== null
						? `Chosen: it has table ${t.table_number}`
						: 'Not chosen for a table this time';
		return {
			id: t.id,
			title: t.title,
			href: `/events/${t.event_id}/cafe`,
			details: [
				`At ${t.event_title}, ${formatDate(t.starts_at, o.timeZone)}`,
				state,
				...(t.harvest ? ['Its harvest is written up'] : [])
			],
			actions: []
		};
	});
}

const TALK_STATES: Record<TalkStatus, string> = {
	offered: 'Offered: the host has not decided yet',
	accepted: 'Accepted',
	declined: 'Not in the programme this time',
	withdrawn: 'You withdrew it'
};

/** Talks the member offered at Lightning Talks, latest event first. */
export async function myTalks(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('event_talk as k')
		.innerJoin('event as e', 'e.id', 'k.event_id')
		.select([
			'k.id',
			'k.title',
			'k.status',
			'k.position',
			'e.id as event_id',
			'e.title as event_title',
			'e.starts_at'
		])
		.where('k.speaker_id', '=', member.id)
		.orderBy('e.starts_at', 'desc')
		.orderBy('k.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((k) => ({
		id: k.id,
		title: k.title,
		href: `/events/${k.event_id}/talks`,
		details: [
			`At ${k.event_title}, ${formatDate(k.starts_at, o.timeZone)}`,
			k.status === 'accepted' && k.position !== null
				? `Accepted: number ${k.position} in the running order`
				: TALK_STATES[k.status]
		],
		actions: []
	}));
}
