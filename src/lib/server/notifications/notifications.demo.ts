import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId } from '../ids';
import type { NotificationKindKey } from './notifications.kinds';

type Person = { id: string; email: string; name: string };

interface DemoNotification {
	kind: NotificationKindKey;
	subject: string;
	title: (actor: string) => string;
	url: string;
	count?: number;
	hoursAgo: number;
	read?: boolean;
}

// Paths are the demo events', organisations', pilot's, ideas' and statement's (events.demo.ts,
// organisations.demo.ts, pilots.demo.ts, ideas.demo.ts, statements.demo.ts).
const DEMO_NOTIFICATIONS: DemoNotification[] = [
	{
		kind: 'comment-reply',
		subject: 'demo-comment-cafe',
		title: (a) => `${a} replied to your comment on “Knowledge Café: tackling loneliness together”`,
		url: '/events/demo-cafe-loneliness',
		count: 3,
		hoursAgo: 1
	},
	{
		kind: 'event-changed',
		subject: 'event:demo-breakfast-meetup',
		title: () =>
			'“Carers’ breakfast meet-up” has changed: It is now at Riverside Library, 1 High Street.',
		url: '/events/demo-breakfast-meetup',
		hoursAgo: 5
	},
	{
		kind: 'content-decision',
		subject: 'demo-post-decision',
		title: (a) => `${a} approved your post “What helped me after hospital”`,
		url: '/me',
		hoursAgo: 26
	},
	{
		kind: 'talk-decision',
		subject: 'talk:demo-lightning',
		title: () =>
			'Your talk “One question we now ask every carer” is in the programme for Lightning Talks: small changes that made a big difference',
		url: '/events/demo-lightning-ideas/talks',
		hoursAgo: 30
	},
	{
		kind: 'invitation',
		subject: 'organisation:demo-voluntary-action-borough',
		title: (a) =>
			`${a} invited you to join Voluntary Action Borough. Use the link in the email we sent you to accept.`,
		url: '/organisations/voluntary-action-borough',
		hoursAgo: 50,
		read: true
	},
	{
		kind: 'case-study-involvement',
		subject: 'case-study:demo-involvement',
		title: (a) =>
			`${a} named you as involved in the case study “Carers redesign the respite booking form”. May we show your name?`,
		url: '/library/involved',
		hoursAgo: 60
	},
	{
		kind: 'pilot-entry',
		subject: 'pilot:demo-pilot-evening-drop-in',
		title: () => 'Tom Walsh added an entry to the pilot “Evening drop-in for carers”',
		url: '/pilots/evening-drop-in-for-carers',
		hoursAgo: 60,
		read: true
	},
	{
		kind: 'statement-amendment',
		subject: 'statement-amendment:demo-statement-amendment-deliver',
		title: () =>
			'Your amendment to “Our shared statement on co-production” was agreed: it is in version 3',
		url: '/statement/amendments/demo-statement-amendment-deliver',
		hoursAgo: 240,
		read: true
	},
	{
		kind: 'statement-version',
		subject: 'statement:demo-statement',
		title: () =>
			'“Our shared statement on co-production” has a new version (3). You endorsed an earlier one: you are invited to read and endorse the new one',
		url: '/statement',
		hoursAgo: 239
	},
	{
		kind: 'decision-invited',
		subject: 'decision:demo-decision-cafe-topics',
		title: () =>
			'You are asked to take part in a decision: “Which topics for the spring Knowledge Cafés?”',
		url: '/decisions/which-topics-for-the-spring-knowledge-cafes',
		hoursAgo: 48
	},
	{
		kind: 'decision-reminder',
		subject: 'decision:demo-decision-evenings-2:reminder',
		title: () =>
			'“Should the monthly meeting move to the evening?” closes within a day, and you have not responded yet',
		url: '/decisions/should-the-monthly-meeting-move-to-the-evening-round-2',
		hoursAgo: 220,
		read: true
	},
	{
		kind: 'decision-outcome',
		subject: 'decision:demo-decision-evenings-2:outcome',
		title: () => 'The outcome of “Should the monthly meeting move to the evening?” is published',
		url: '/decisions/should-the-monthly-meeting-move-to-the-evening-round-2#outcome',
		hoursAgo: 190
	},
	{
		kind: 'champion-request',
		subject: 'champion-request:demo-request-accepted',
		title: (a) => `${a} wrote on a request`,
		url: '/champions/requests',
		hoursAgo: 60,
		read: true
	},
	{
		kind: 'idea-support',
		subject: 'idea-support:demo-idea-repair-cafe',
		title: (a) => `${a} supports your idea “A monthly repair café”`,
		url: '/ideas/a-monthly-repair-cafe#supporters',
		count: 2,
		hoursAgo: 3
	},
	{
		kind: 'idea-comment',
		subject: 'idea-comment:demo-idea-repair-cafe',
		title: (a) => `${a} commented on your idea “A monthly repair café”`,
		url: '/ideas/a-monthly-repair-cafe#comments',
		hoursAgo: 30,
		read: true
	},
	{
		kind: 'idea-stage',
		subject: 'idea-stage:demo-idea-walk-and-talk',
		title: () => 'The idea “Walk and talk by the river” is now: Happening',
		url: '/ideas/walk-and-talk-by-the-river#history',
		hoursAgo: 70,
		read: true
	},
	{
		kind: 'event-cancelled',
		subject: 'event:demo-something-walk',
		title: () => '“Walk and talk by the river” is cancelled',
		url: '/events/demo-something-walk',
		hoursAgo: 72,
		read: true
	}
];

/**
 * Notifications of each kind for the demo's members (not the administrator or curator), some
 * read and one grouped. Stored without email: the demo addresses are made up. Idempotent: a
 * member who already has notifications is left alone.
 */
export async function seedNotifications(
	db: Kysely<DB>,
	people: ReadonlyArray<Person>,
	now = new Date()
): Promise<void> {
	const actor = people.find((p) => p.email.startsWith('curator@')) ?? people[0];
	const members = people.filter((p) => !/^(admin|curator)@/.test(p.email)).slice(0, 2);
	if (!actor) return;
	for (const member of members) {
		const has = await db
			.selectFrom('notification')
			.select('id')
			.where('recipient_id', '=', member.id)
			.executeTakeFirst();
		if (has) continue;
		await db
			.insertInto('notification')
			.values(
				DEMO_NOTIFICATIONS.map((n) => {
					const at = new Date(now.getTime() - n.hoursAgo * 3_600_000).toISOString();
					return {
						id: newId(),
						recipient_id: member.id,
						kind: n.kind,
						subject_key: n.subject,
						title: n.title(actor.name),
						url: n.url,
						actor_id: actor.id,
						count: n.count ?? 1,
						on_site: 1,
						email_state: 'none' as const,
						read_at: n.read ? at : null,
						created_at: at,
						updated_at: at
					};
				})
			)
			.execute();
	}
}
