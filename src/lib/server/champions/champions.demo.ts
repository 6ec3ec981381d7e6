import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { changeContent } from '../cache/content-version';
import { libraryVocabulary } from '../library/tags.service';
import { refreshChampionSearch } from './champions.search';
import type {
	ChampionRequestStatus,
	ChampionStatus,
	ContactBy,
	RequestEntryKind
} from './champions.tables';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

interface DemoChampion {
	id: string;
	email: string;
	status: ChampionStatus;
	helpWith: string;
	serviceAreas: string[];
	/** Positions in the check's dimensions (keys differ by instance only if curators changed them). */
	dimensions: number[];
	barriers: string[];
	available: Array<'breakfast' | 'lunch' | 'evening' | 'online'>;
	contactBy: ContactBy;
	phone: string | null;
}

/** The demo's champions, at fixed ids: three confirmed, one paused, one waiting for a curator. */
export const DEMO_CHAMPIONS: readonly DemoChampion[] = [
	{
		id: 'demo-champion-jo',
		email: 'jo@demo.colab.example',
		status: 'confirmed',
		helpWith:
			'Getting a co-production project past the council’s processes: budgets, sign-off and who to ask. I can also help you write a brief with people rather than for them.',
		serviceAreas: ['service-area:adult-social-care', 'service-area:older-people'],
		dimensions: [0, 2],
		barriers: ['barrier:no-permission-from-leaders', 'barrier:systems-and-processes'],
		available: ['lunch', 'online'],
		contactBy: 'email',
		phone: null
	},
	{
		id: 'demo-champion-sam',
		email: 'sam@demo.colab.example',
		status: 'confirmed',
		helpWith:
			'Involving people who use mental health services from the start, and making meetings feel safe to speak in.',
		serviceAreas: ['service-area:mental-health'],
		dimensions: [1, 3],
		barriers: ['barrier:power-imbalances'],
		available: ['evening', 'online'],
		contactBy: 'colab',
		phone: null
	},
	{
		id: 'demo-champion-priya',
		email: 'priya@demo.colab.example',
		status: 'confirmed',
		helpWith:
			'Reaching carers who never come to meetings: times that work, and what to offer so they can come.',
		serviceAreas: ['service-area:carers-and-unpaid-care', 'service-area:children-and-families'],
		dimensions: [0, 1],
		barriers: ['barrier:time', 'barrier:burden-on-unpaid-people'],
		available: ['breakfast', 'lunch'],
		contactBy: 'phone',
		// A drama number (Ofcom's range for fiction): never a real person's.
		phone: '020 7946 0123'
	},
	{
		id: 'demo-champion-chris',
		email: 'curator@demo.colab.example',
		status: 'paused',
		helpWith: 'Running a first community café: formats, hosts and how to write it up afterwards.',
		serviceAreas: ['service-area:community-and-voluntary-sector'],
		dimensions: [2],
		barriers: [],
		available: ['evening'],
		contactBy: 'colab',
		phone: null
	},
	{
		id: 'demo-champion-tom',
		email: 'tom@demo.colab.example',
		status: 'waiting',
		helpWith: 'Welcoming people on the day: rooms, access and making newcomers feel part of it.',
		serviceAreas: ['service-area:community-and-voluntary-sector'],
		dimensions: [3],
		barriers: ['barrier:leaving-comfort-zones'],
		available: ['breakfast', 'evening'],
		contactBy: 'colab',
		phone: null
	}
];

interface DemoRequest {
	id: string;
	askerEmail: string;
	/** Who holds it now; null: the champion left and it went back to the asker. */
	champion: string | null;
	status: ChampionRequestStatus;
	body: string;
	daysAgo: number;
	flagged?: boolean;
	contactShared?: boolean;
	outcome?: 'yes' | 'partly' | 'no';
	outcomeNote?: string;
	entries: Array<{
		kind: RequestEntryKind;
		byEmail: string | null;
		body?: string;
		champion?: string;
		daysAgo: number;
	}>;
}

const TOM = 'tom@demo.colab.example';
const AMIRA = 'admin@demo.colab.example';
const JO = 'jo@demo.colab.example';
const SAM = 'sam@demo.colab.example';
const PRIYA = 'priya@demo.colab.example';

/** One request in each state: waiting, waiting and flagged, accepted, declined, returned, closed. */
export const DEMO_REQUESTS: readonly DemoRequest[] = [
	{
		id: 'demo-request-open',
		askerEmail: TOM,
		champion: 'demo-champion-jo',
		status: 'open',
		body: 'Our carers’ group wants a say in the new day centre timetable. Who at the council should we talk to first?',
		daysAgo: 2,
		entries: [{ kind: 'asked', byEmail: TOM, champion: 'demo-champion-jo', daysAgo: 2 }]
	},
	{
		id: 'demo-request-flagged',
		askerEmail: AMIRA,
		champion: 'demo-champion-sam',
		status: 'open',
		body: 'I want to invite people who use the crisis team to help review its leaflet. How do I make that feel safe?',
		daysAgo: 9,
		flagged: true,
		entries: [
			{ kind: 'asked', byEmail: AMIRA, champion: 'demo-champion-sam', daysAgo: 9 },
			{ kind: 'flagged', byEmail: null, daysAgo: 2 }
		]
	},
	{
		id: 'demo-request-accepted',
		askerEmail: TOM,
		champion: 'demo-champion-priya',
		status: 'accepted',
		body: 'Carers never come to our evening meetings. What times and support would help them come?',
		daysAgo: 5,
		contactShared: true,
		entries: [
			{ kind: 'asked', byEmail: TOM, champion: 'demo-champion-priya', daysAgo: 5 },
			{ kind: 'accepted', byEmail: PRIYA, daysAgo: 4 },
			{
				kind: 'message',
				byEmail: PRIYA,
				body: 'Happy to help. Mornings after the school run work best for most carers I know. Could we talk on Thursday?',
				daysAgo: 4
			},
			{ kind: 'message', byEmail: TOM, body: 'Thursday is great, thank you.', daysAgo: 3 },
			{ kind: 'contact-shared', byEmail: PRIYA, daysAgo: 3 }
		]
	},
	{
		id: 'demo-request-declined',
		askerEmail: AMIRA,
		champion: 'demo-champion-jo',
		status: 'declined',
		body: 'Can you help us set up a youth panel for the children’s services review?',
		daysAgo: 12,
		entries: [
			{ kind: 'asked', byEmail: AMIRA, champion: 'demo-champion-jo', daysAgo: 12 },
			{
				kind: 'declined',
				byEmail: JO,
				body: 'I do not know children’s services well. Priya works with families: she may be the one to ask.',
				daysAgo: 11
			}
		]
	},
	{
		id: 'demo-request-returned',
		askerEmail: TOM,
		champion: null,
		status: 'returned',
		body: 'How do we write up what people said at our café so the council reads it?',
		daysAgo: 20,
		entries: [
			{ kind: 'asked', byEmail: TOM, daysAgo: 20 },
			{ kind: 'returned', byEmail: null, daysAgo: 15 }
		]
	},
	{
		id: 'demo-request-closed',
		askerEmail: TOM,
		champion: 'demo-champion-sam',
		status: 'closed',
		body: 'A volunteer at our drop-in wants to help plan the new mental health hub. Where do they start?',
		daysAgo: 30,
		outcome: 'yes',
		outcomeNote: 'Sam introduced us to the hub’s planning group. Our volunteer joins next month.',
		entries: [
			{ kind: 'asked', byEmail: TOM, champion: 'demo-champion-jo', daysAgo: 30 },
			{
				kind: 'suggested',
				byEmail: JO,
				champion: 'demo-champion-sam',
				body: 'Sam knows the hub’s planning group.',
				daysAgo: 29
			},
			{ kind: 'accepted', byEmail: SAM, daysAgo: 28 },
			{
				kind: 'message',
				byEmail: SAM,
				body: 'The planning group meets on the first Monday. I will introduce you both.',
				daysAgo: 28
			},
			{ kind: 'closed', byEmail: TOM, body: 'Thank you, Sam!', daysAgo: 20 }
		]
	}
];

/**
 * Champions (confirmed, paused and one waiting for a curator) and requests in each state, at
 * fixed ids (idempotent: nothing is added once the first champion exists). Demo people who are
 * missing are skipped.
 */
export async function seedChampions(db: Kysely<DB>): Promise<void> {
	const exists = await db
		.selectFrom('champion')
		.select('id')
		.where('id', '=', DEMO_CHAMPIONS[0]!.id)
		.executeTakeFirst();
	if (exists) return;
	const people = new Map(
		(await db.selectFrom('app_user').select(['id', 'email']).execute()).map((p) => [p.email, p.id])
	);
	const vocabulary = await libraryVocabulary(db);
	const tags = new Set([...vocabulary.serviceAreas, ...vocabulary.barriers].map((t) => t.id));
	const dimensionKeys = vocabulary.dimensions.map((d) => d.key);
	await changeContent(db, async (trx) => {
		const seeded = new Set<string>();
		for (const [position, c] of DEMO_CHAMPIONS.entries()) {
			const userId = people.get(c.email);
			if (!userId) continue;
			const created = ago(40 - position);
			await trx
				.insertInto('champion')
				.values({
					id: c.id,
					user_id: userId,
					help_with: c.helpWith,
					available_breakfast: c.available.includes('breakfast') ? 1 : 0,
					available_lunch: c.available.includes('lunch') ? 1 : 0,
					available_evening: c.available.includes('evening') ? 1 : 0,
					available_online: c.available.includes('online') ? 1 : 0,
					contact_preference: c.contactBy,
					phone: c.phone,
					status: c.status,
					decision_note: null,
					decided_by:
						c.status === 'waiting' ? null : (people.get('curator@demo.colab.example') ?? null),
					confirmed_at: c.status === 'waiting' ? null : ago(35 - position),
					created_at: created,
					updated_at: created
				})
				.onConflict((oc) => oc.doNothing())
				.execute();
			const topics = [
				...c.serviceAreas
					.filter((v) => tags.has(v))
					.map((value) => ({ kind: 'service-area' as const, value })),
				...c.barriers
					.filter((v) => tags.has(v))
					.map((value) => ({ kind: 'barrier' as const, value })),
				...c.dimensions
					.map((i) => dimensionKeys[i])
					.filter((k): k is string => !!k)
					.map((value) => ({ kind: 'dimension' as const, value }))
			];
			if (topics.length)
				await trx
					.insertInto('champion_topic')
					.values(topics.map((t) => ({ champion_id: c.id, ...t })))
					.onConflict((oc) => oc.doNothing())
					.execute();
			seeded.add(c.id);
			await refreshChampionSearch(trx, c.id);
		}
		for (const r of DEMO_REQUESTS) {
			const askerId = people.get(r.askerEmail);
			if (!askerId || (r.champion && !seeded.has(r.champion))) continue;
			const updated = ago(Math.min(...r.entries.map((e) => e.daysAgo)));
			await trx
				.insertInto('champion_request')
				.values({
					id: r.id,
					asker_id: askerId,
					champion_id: r.champion,
					service_area_id: null,
					body: r.body,
					status: r.status,
					waiting_since: ago(r.entries.filter((e) => e.kind !== 'flagged').at(-1)!.daysAgo),
					flagged_at: r.flagged ? ago(2) : null,
					contact_shared_at: r.contactShared ? ago(3) : null,
					outcome: r.outcome ?? null,
					outcome_note: r.outcomeNote ?? null,
					closed_at: r.status === 'closed' ? updated : null,
					created_at: ago(r.daysAgo),
					updated_at: updated
				})
				.execute();
			await trx
				.insertInto('champion_request_entry')
				.values(
					r.entries.map((e, i) => ({
						id: `${r.id}-${i + 1}`,
						request_id: r.id,
						position: i + 1,
						actor_id: e.byEmail ? (people.get(e.byEmail) ?? null) : null,
						kind: e.kind,
						body: e.body ?? null,
						champion_id: e.champion && seeded.has(e.champion) ? e.champion : null,
						created_at: new Date(Date.now() - e.daysAgo * DAY + i * 1000).toISOString()
					}))
				)
				.execute();
		}
	});
}
