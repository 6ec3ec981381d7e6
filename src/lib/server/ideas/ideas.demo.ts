import type { Kysely } from 'kysely';
import { changeContent } from '../cache/content-version';
import { refreshSearchDocument } from '../search/search.repository';
import { IDEA_SEARCH } from './ideas.search';
import type { DB } from '../db/schema';
import type { SupportWay } from './ideas.schema';
import type { IdeaStage } from './ideas.tables';

interface DemoIdea {
	id: string;
	slug: string;
	title: string;
	body: string;
	authorEmail: string;
	daysAgo: number;
	/** Each move, oldest first: to which stage, the note, who, how many days ago. */
	moves: Array<{ to: IdeaStage; note: string; byEmail: string; daysAgo: number }>;
	supports: Array<{ email: string; ways: SupportWay[]; note?: string }>;
	comments: Array<{ email: string; body: string; daysAgo: number }>;
	/** The demo event it became (events.demo.ts), when it became one. */
	becameEvent?: { id: string; title: string };
}

const CURATOR = 'curator@demo.colab.example';

/** An idea at each stage; one became the demo's "Walk and talk by the river" event. */
export const DEMO_IDEAS: readonly DemoIdea[] = [
	{
		id: 'demo-idea-repair-cafe',
		slug: 'a-monthly-repair-cafe',
		title: 'A monthly repair café',
		body: 'People bring **broken things** – a lamp, a coat, a bike – and fix them together, with tea.\n\nIt would be a way to meet neighbours and share skills, and it saves money.',
		authorEmail: 'priya@demo.colab.example',
		daysAgo: 20,
		moves: [
			{
				to: 'gathering-support',
				note: 'Lots of people like this. We need two or three people who can fix things, and a room: say below if you can help.',
				byEmail: CURATOR,
				daysAgo: 12
			}
		],
		supports: [
			{ email: 'sam@demo.colab.example', ways: ['come'] },
			{ email: 'jo@demo.colab.example', ways: ['help'], note: 'I can mend clothes.' },
			{ email: 'tom@demo.colab.example', ways: ['come', 'know-someone'] }
		],
		comments: [
			{
				email: 'sam@demo.colab.example',
				body: 'The library has a room free on Saturday mornings.',
				daysAgo: 10
			},
			{ email: CURATOR, body: 'Thanks Sam, I will ask them.', daysAgo: 9 }
		]
	},
	{
		id: 'demo-idea-walk-and-talk',
		slug: 'walk-and-talk-by-the-river',
		title: 'Walk and talk by the river',
		body: 'A gentle walk, with time to talk, for people who find sitting in a room hard. Step-free, with a coffee stop.',
		authorEmail: 'sam@demo.colab.example',
		daysAgo: 40,
		moves: [
			{
				to: 'gathering-support',
				note: 'A good idea for the spring. Who would come?',
				byEmail: CURATOR,
				daysAgo: 35
			},
			{
				to: 'happening',
				note: 'This idea became an event: “Walk and talk by the river”.',
				byEmail: CURATOR,
				daysAgo: 30
			}
		],
		supports: [
			{ email: 'priya@demo.colab.example', ways: ['come'] },
			{ email: 'tom@demo.colab.example', ways: ['help'], note: 'I can lead the walk.' }
		],
		comments: [
			{ email: 'tom@demo.colab.example', body: 'The path by the park is step-free.', daysAgo: 33 }
		],
		becameEvent: { id: 'demo-something-walk', title: 'Walk and talk by the river' }
	},
	{
		id: 'demo-idea-text-line',
		slug: 'a-peer-support-text-line',
		title: 'A peer support text line',
		body: 'Some people would rather text than talk. Volunteers with lived experience could answer texts in the evening.',
		authorEmail: 'priya@demo.colab.example',
		daysAgo: 1,
		moves: [],
		supports: [],
		comments: []
	},
	{
		id: 'demo-idea-easy-read',
		slug: 'easy-read-letters-from-the-council',
		title: 'Easy read letters from the council',
		body: 'Letters about care are hard to read. We could rewrite the common ones together, in easy read.',
		authorEmail: 'jo@demo.colab.example',
		daysAgo: 90,
		moves: [
			{
				to: 'gathering-support',
				note: 'The council’s letters team would like to try this.',
				byEmail: CURATOR,
				daysAgo: 80
			},
			{
				to: 'happening',
				note: 'Six people met twice and rewrote three letters.',
				byEmail: 'jo@demo.colab.example',
				daysAgo: 60
			},
			{
				to: 'done',
				note: 'The council now sends the three easy read letters. Thank you all.',
				byEmail: CURATOR,
				daysAgo: 20
			}
		],
		supports: [
			{ email: 'sam@demo.colab.example', ways: ['help'] },
			{ email: 'priya@demo.colab.example', ways: ['help', 'know-someone'] }
		],
		comments: []
	},
	{
		id: 'demo-idea-carers-choir',
		slug: 'a-choir-for-carers',
		title: 'A choir for carers',
		body: 'Singing together is good for us. A choir that meets in the evening, with a sitting service so carers can come.',
		authorEmail: 'tom@demo.colab.example',
		daysAgo: 50,
		moves: [
			{
				to: 'not-now',
				note: 'Nobody can lead it this winter. We will look again in the spring.',
				byEmail: CURATOR,
				daysAgo: 40
			}
		],
		supports: [{ email: 'jo@demo.colab.example', ways: ['come'] }],
		comments: []
	}
];

const DAY = 86_400_000;

/** The demo's ideas, supports, comments and histories (idempotent: an idea there is left). */
export async function seedIdeas(db: Kysely<DB>, now = new Date()): Promise<void> {
	const existing = await db
		.selectFrom('idea')
		.select(['id', 'slug'])
		.where((eb) =>
			eb.or([
				eb(
					'id',
					'in',
					DEMO_IDEAS.map((i) => i.id)
				),
				eb(
					'slug',
					'in',
					DEMO_IDEAS.map((i) => i.slug)
				)
			])
		)
		.execute();
	const have = new Set(existing.flatMap((r) => [r.id, r.slug]));
	const people = new Map(
		(await db.selectFrom('app_user').select(['id', 'email']).execute()).map((u) => [u.email, u.id])
	);
	const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
	await changeContent(db, async (trx) => {
		for (const demo of DEMO_IDEAS) {
			const author = people.get(demo.authorEmail);
			if (have.has(demo.id) || have.has(demo.slug) || !author) continue;
			const event = demo.becameEvent
				? await trx
						.selectFrom('event')
						.select(['id', 'title'])
						.where('id', '=', demo.becameEvent.id)
						.executeTakeFirst()
				: undefined;
			const supports = demo.supports.filter((s) => people.has(s.email));
			const last = demo.moves.at(-1);
			await trx
				.insertInto('idea')
				.values({
					id: demo.id,
					slug: demo.slug,
					title: demo.title,
					body: demo.body,
					author_id: author,
					stage: last?.to ?? 'new',
					support_count: supports.length,
					became_kind: event ? 'event' : null,
					became_id: event?.id ?? null,
					became_title: event?.title ?? null,
					became_path: event ? `/events/${event.id}` : null,
					removed_at: null,
					created_at: at(demo.daysAgo),
					updated_at: at(last?.daysAgo ?? demo.daysAgo)
				})
				.execute();
			await refreshSearchDocument(trx, IDEA_SEARCH, demo.id);
			let from: IdeaStage = 'new';
			for (const [i, move] of demo.moves.entries()) {
				await trx
					.insertInto('idea_stage_change')
					.values({
						id: `${demo.id}-stage-${i + 1}`,
						idea_id: demo.id,
						from_stage: from,
						to_stage: move.to,
						note: move.note,
						changed_by: people.get(move.byEmail) ?? null,
						changed_at: at(move.daysAgo)
					})
					.execute();
				from = move.to;
			}
			for (const [i, support] of supports.entries()) {
				const ways = new Set(support.ways);
				await trx
					.insertInto('idea_support')
					.values({
						idea_id: demo.id,
						user_id: people.get(support.email)!,
						would_come: ways.has('come') ? 1 : 0,
						would_help: ways.has('help') ? 1 : 0,
						knows_someone: ways.has('know-someone') ? 1 : 0,
						note: support.note ?? '',
						created_at: at(demo.daysAgo - 1 - i * 0.1),
						updated_at: at(demo.daysAgo - 1 - i * 0.1)
					})
					.execute();
			}
			for (const [i, comment] of demo.comments.entries()) {
				const by = people.get(comment.email);
				if (!by) continue;
				await trx
					.insertInto('idea_comment')
					.values({
						id: `${demo.id}-comment-${i + 1}`,
						idea_id: demo.id,
						author_id: by,
						body: comment.body,
						created_at: at(comment.daysAgo),
						edited_at: null
					})
					.execute();
			}
		}
	});
}
