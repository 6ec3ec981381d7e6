import type { Kysely, Transaction } from 'kysely';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { markdownExcerpt } from '../markdown';
import { SUMMARY_LENGTH } from './events.service';
import { addDaysToDate, localToUtc, timeBand, utcToLocal } from './event-time';
import type { NewEvent, NewEventRegistration, RegistrationStatus } from './events.tables';
import { refreshEventSearch } from './events.search';

type Person = { id: string; email: string };

interface DemoEvent {
	key: string;
	title: string;
	format: string;
	description: string;
	/** Days from today (negative: in the past), local start and end times. */
	day: number;
	start: string;
	end: string;
	mode: NewEvent['mode'];
	venue?: { name: string; address: string; access: string[] };
	online?: string;
	capacity: number | null;
	reserved?: number;
	record?: string;
	/** Indexes into the demo people, and their status. */
	registrations?: Array<[number, RegistrationStatus]>;
}

const LIBRARY = {
	name: 'Riverside Library, Community Room',
	address: '12 Market Street, Riverside RV1 4AB',
	access: ['step_free', 'hearing_loop', 'accessible_toilet', 'public_transport']
};
const HUB = {
	name: 'The Old Fire Station Community Hub',
	address: '3 Station Road, Riverside RV2 7CD',
	access: ['step_free', 'accessible_toilet', 'quiet_room', 'parking']
};

const DEMO_EVENTS: DemoEvent[] = [
	{
		key: 'exchange-discharge',
		title: 'Leaving hospital: what helped, what didn’t',
		format: 'exchange',
		description:
			'An exchange session for carers, ward staff and social workers on the days around leaving hospital.\n\n- Short stories from three carers\n- What the discharge team is trying\n- Ideas we can test together',
		day: 6,
		start: '18:00',
		end: '19:30',
		mode: 'in_person',
		venue: LIBRARY,
		capacity: 25,
		reserved: 5,
		registrations: [
			[2, 'confirmed'],
			[3, 'confirmed'],
			[5, 'confirmed']
		]
	},
	{
		key: 'cafe-loneliness',
		title: 'Knowledge Café: tackling loneliness together',
		format: 'knowledge-cafe',
		description:
			'Propose a topic before the day and vote with your dots. The top topics become tables; we talk in two rounds and write up what each table found.',
		day: 10,
		start: '12:30',
		end: '14:00',
		mode: 'hybrid',
		venue: HUB,
		online: 'https://meet.example.org/colab-cafe',
		capacity: 30,
		registrations: [
			[1, 'confirmed'],
			[2, 'confirmed'],
			[3, 'confirmed'],
			[5, 'confirmed']
		]
	},
	{
		key: 'lightning-ideas',
		title: 'Lightning Talks: small changes that made a big difference',
		format: 'lightning-talks',
		description:
			'Five-minute talks from people who changed something, however small. Offer a talk, or just come and listen.',
		day: 17,
		start: '18:30',
		end: '20:00',
		mode: 'online',
		online: 'https://meet.example.org/colab-lightning',
		capacity: null,
		registrations: [
			[2, 'confirmed'],
			[4, 'confirmed']
		]
	},
	{
		key: 'breakfast-meetup',
		title: 'Carers’ breakfast meet-up',
		format: 'meet-up',
		description:
			'Tea, toast and time to talk before the day starts. Small and friendly: there are only a few places, so please cancel if you can’t come.',
		day: 3,
		start: '08:00',
		end: '09:15',
		mode: 'in_person',
		venue: HUB,
		capacity: 3,
		registrations: [
			[2, 'confirmed'],
			[3, 'confirmed'],
			[4, 'confirmed'],
			[5, 'waitlisted'],
			[1, 'waitlisted']
		]
	},
	{
		key: 'enquiry-what-coproduction',
		title: 'Enquiry: what does co-production mean here?',
		format: 'enquiry',
		description:
			'Our enquiry team shares the first themes from eleven interviews, and asks what we missed.',
		day: 24,
		start: '12:00',
		end: '13:00',
		mode: 'online',
		online: 'https://meet.example.org/colab-enquiry',
		capacity: 40
	},
	{
		key: 'something-walk',
		title: 'Walk and talk by the river',
		format: 'something-else',
		description: 'A gentle, step-free walk with time to talk. We stop for coffee halfway.',
		day: 12,
		start: '10:30',
		end: '12:00',
		mode: 'in_person',
		venue: {
			name: 'Riverside Park, main gate',
			address: 'Park Lane, Riverside RV3 1EF',
			access: ['step_free', 'parking', 'public_transport']
		},
		capacity: 15
	},
	{
		key: 'past-exchange-peer-support',
		title: 'Peer support in mental health services',
		format: 'exchange',
		description: 'People with lived experience and staff shared how peer support works locally.',
		day: -21,
		start: '18:00',
		end: '19:30',
		mode: 'in_person',
		venue: LIBRARY,
		capacity: 20,
		record:
			'**18 people came**: 7 with lived experience, 6 staff, 5 from charities.\n\n- Peer workers want supervision from people who have done the job\n- Two teams will test a shared induction\n- Next session in the spring',
		registrations: [
			[2, 'confirmed'],
			[3, 'confirmed']
		]
	},
	{
		key: 'past-cafe-transport',
		title: 'Knowledge Café: getting to appointments',
		format: 'knowledge-cafe',
		description: 'Tables on buses, patient transport, and paying for taxis.',
		day: -45,
		start: '12:30',
		end: '14:00',
		mode: 'in_person',
		venue: HUB,
		capacity: 30,
		record:
			'Three tables, two rounds, 24 people. The transport table found that appointment letters rarely say which bus goes there. The council’s transport team is now testing this.'
	}
];

/** Topics with their proposer and [voter, dots] (each voter gives the default 3 dots in all). */
const CAFE_TOPICS: Array<{ title: string; by: number; dots: Array<[number, number]> }> = [
	{
		title: 'Lonely at home after a diagnosis',
		by: 2,
		dots: [
			[2, 2],
			[3, 1],
			[5, 1]
		]
	},
	{
		title: 'Groups that meet in the evening',
		by: 3,
		dots: [
			[2, 1],
			[3, 1]
		]
	},
	{
		title: 'Men’s sheds and making things',
		by: 5,
		dots: [
			[5, 2],
			[1, 1]
		]
	},
	{
		title: 'Using the library as a meeting place',
		by: 1,
		dots: [
			[1, 2],
			[3, 1]
		]
	}
];

const TALKS = [
	{
		by: 4,
		title: 'One question we now ask every carer',
		summary: 'How a single question on our form changed who we hear from.',
		status: 'accepted' as const,
		position: 1
	},
	{
		by: 3,
		title: 'Peer support in waiting rooms',
		summary: 'What happened when we put a peer worker in the clinic waiting room.',
		status: 'accepted' as const,
		position: 2
	},
	{
		by: 5,
		title: 'Volunteering without the forms',
		summary: 'Making it easier for people to help out once, without a long sign-up.',
		status: 'offered' as const,
		position: null
	}
];

function demoId(key: string): string {
	return `demo-${key}`;
}

async function insertDemoEvent(
	trx: Transaction<DB>,
	demo: DemoEvent,
	host: Person,
	today: string,
	timeZone: string,
	now: string
): Promise<void> {
	const date = addDaysToDate(today, demo.day);
	const start = localToUtc(date, demo.start, timeZone);
	const end = localToUtc(date, demo.end, timeZone);
	if (!start.ok || !end.ok) return;
	const past = demo.day < 0;
	const access = new Set(demo.venue?.access ?? []);
	const flag = (f: string) => (access.has(f) ? 1 : 0);
	const id = demoId(demo.key);
	await trx
		.insertInto('event')
		.values({
			id,
			title: demo.title,
			format_id: demo.format,
			description: demo.description,
			summary: markdownExcerpt(demo.description, SUMMARY_LENGTH),
			starts_at: start.iso,
			ends_at: end.iso,
			time_band: timeBand(start.iso, timeZone),
			mode: demo.mode,
			venue_name: demo.venue?.name ?? null,
			venue_address: demo.venue?.address ?? null,
			access_notes: null,
			access_step_free: flag('step_free'),
			access_hearing_loop: flag('hearing_loop'),
			access_accessible_toilet: flag('accessible_toilet'),
			access_quiet_room: flag('quiet_room'),
			access_parking: flag('parking'),
			access_public_transport: flag('public_transport'),
			online_url: demo.online ?? null,
			host_id: host.id,
			organisation_id: null,
			capacity: demo.capacity,
			reserved_places: demo.reserved ?? 0,
			places_taken: 0,
			status: past ? 'completed' : 'scheduled',
			visibility: 'public',
			approval: 'approved',
			record_summary: demo.record ?? null,
			recorded_at: demo.record ? now : null,
			created_at: now,
			updated_at: now
		})
		.execute();
}

/**
 * Demo events of every format, past and coming up: a café with topics and dot votes, a
 * lightning programme, and a small breakfast meet-up that is full with people waiting. Dates are
 * counted from the day the demo is seeded. Idempotent: events already there are left alone.
 */
export async function seedEvents(
	db: Kysely<DB>,
	people: ReadonlyArray<Person>,
	timeZone: string
): Promise<void> {
	const host = people[1] ?? people[0];
	if (!host) return;
	const now = nowIso();
	const today = utcToLocal(now, timeZone).date;
	await changeContent(db, async (trx) => {
		for (const demo of DEMO_EVENTS) {
			const id = demoId(demo.key);
			const exists = await trx
				.selectFrom('event')
				.select('id')
				.where('id', '=', id)
				.executeTakeFirst();
			if (exists) continue;
			await insertDemoEvent(trx, demo, host, today, timeZone, now);
			let queue = 0;
			let taken = 0;
			for (const [index, status] of demo.registrations ?? []) {
				const person = people[index];
				if (!person) continue;
				const row: NewEventRegistration = {
					id: `${id}-r${index}`,
					event_id: id,
					user_id: person.id,
					name: null,
					email: null,
					status,
					places: 1,
					lived_experience: index === 3 ? 1 : 0,
					need_bsl: 0,
					need_step_free: index === 2 ? 1 : 0,
					need_hearing_loop: 0,
					need_large_print: 0,
					need_dietary: index === 3 ? 1 : 0,
					need_childcare: 0,
					need_companion: 0,
					need_other: 0,
					need_details: index === 3 ? 'Vegetarian, please' : null,
					queued_at: now,
					queue_number: status === 'waitlisted' ? ++queue : null,
					confirmed_at: status === 'confirmed' ? now : null,
					checked_in_at: demo.day < 0 ? now : null,
					created_at: now,
					updated_at: now
				};
				await trx.insertInto('event_registration').values(row).execute();
				if (status === 'confirmed') taken++;
			}
			await trx.updateTable('event').set({ places_taken: taken }).where('id', '=', id).execute();

			if (demo.key === 'cafe-loneliness') {
				for (const [t, topic] of CAFE_TOPICS.entries()) {
					const topicId = `${id}-t${t}`;
					await trx
						.insertInto('event_cafe_topic')
						.values({
							id: topicId,
							event_id: id,
							proposed_by: people[topic.by]?.id ?? null,
							title: topic.title,
							created_at: now
						})
						.execute();
					for (const [by, dots] of topic.dots) {
						const voter = people[by];
						if (!voter) continue;
						await trx
							.insertInto('event_cafe_dot')
							.values({ event_id: id, topic_id: topicId, user_id: voter.id, dots })
							.onConflict((oc) => oc.columns(['topic_id', 'user_id']).doNothing())
							.execute();
					}
				}
			}
			if (demo.key === 'lightning-ideas') {
				for (const [t, talk] of TALKS.entries()) {
					await trx
						.insertInto('event_talk')
						.values({
							id: `${id}-k${t}`,
							event_id: id,
							speaker_id: people[talk.by]?.id ?? null,
							title: talk.title,
							summary: talk.summary,
							minutes: 5,
							status: talk.status,
							position: talk.position,
							created_at: now,
							updated_at: now
						})
						.execute();
				}
			}
			await refreshEventSearch(trx, id);
		}
	});
}
