import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { refreshSearchDocument } from '../search/search.repository';
import { DECISION_SEARCH } from './decisions.search';
import type { NewDecision } from './decisions.tables';

const DAY = 86_400_000;
const PEOPLE = {
	priya: 'priya@demo.colab.example',
	sam: 'sam@demo.colab.example',
	jo: 'jo@demo.colab.example',
	tom: 'tom@demo.colab.example',
	admin: 'admin@demo.colab.example',
	curator: 'curator@demo.colab.example'
};

export const DEMO_DECISION_SLUGS = {
	firstRound: 'should-the-monthly-meeting-move-to-the-evening',
	secondRound: 'should-the-monthly-meeting-move-to-the-evening-round-2',
	dotVote: 'which-topics-for-the-spring-knowledge-cafes',
	draft: 'should-we-try-a-saturday-session'
} as const;

type Response = {
	who: keyof typeof PEOPLE;
	position?: string;
	choices?: Record<string, number>;
	reason?: string;
};

/**
 * A consensus decision whose first round Tom blocked (evenings are hard for carers), and a
 * second round with a daytime slot too that everyone agreed; an open dot vote on café topics;
 * and a draft, for the edit page. Idempotent: nothing is added when the first round is there.
 */
export async function seedDecisions(db: Kysely<DB>, now = new Date()): Promise<void> {
	const existing = await db
		.selectFrom('decision')
		.select('id')
		.where('slug', 'in', Object.values(DEMO_DECISION_SLUGS))
		.execute();
	if (existing.length) return;
	const people = new Map(
		(await db.selectFrom('app_user').select(['id', 'email']).execute()).map((u) => [u.email, u.id])
	);
	const priya = people.get(PEOPLE.priya);
	if (!priya) return;
	const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
	const base = (
		over: Partial<NewDecision> &
			Pick<
				NewDecision,
				'id' | 'slug' | 'question' | 'proposal' | 'process' | 'status' | 'closes_at'
			>
	): NewDecision => ({
		setting: 1,
		audience: 'members',
		audience_organisation_id: null,
		audience_event_id: null,
		quorum: 3,
		anonymous: 0,
		outcome: null,
		result: null,
		round: 1,
		previous_round_id: null,
		origin_kind: null,
		origin_id: null,
		origin_title: null,
		origin_path: null,
		created_by: priya,
		created_at: at(-30),
		updated_at: at(-10),
		opened_at: null,
		closed_at: null,
		outcome_at: null,
		reminder_claimed_at: null,
		...over
	});
	const decisions: Array<{ row: NewDecision; options?: string[]; responses: Response[] }> = [
		{
			row: base({
				id: 'demo-decision-evenings-1',
				slug: DEMO_DECISION_SLUGS.firstRound,
				question: 'Should the monthly meeting move to the evening?',
				proposal:
					'Move the monthly network meeting from 10am to **6pm**, so people who work can come.',
				process: 'consensus',
				status: 'closed',
				closes_at: at(-20),
				opened_at: at(-28),
				closed_at: at(-20),
				outcome:
					'Not passed. Tom blocked: carers often cannot come out in the evening. We will try a second round with a daytime slot as well.',
				result: 'not-passed',
				outcome_at: at(-20),
				reminder_claimed_at: at(-21)
			}),
			responses: [
				{ who: 'priya', position: 'agree', reason: 'I can only come after work.' },
				{ who: 'sam', position: 'agree' },
				{ who: 'jo', position: 'abstain', reason: 'Either suits me.' },
				{
					who: 'tom',
					position: 'block',
					reason: 'Many carers cannot leave home in the evening. Moving it shuts them out.'
				}
			]
		},
		{
			row: base({
				id: 'demo-decision-evenings-2',
				slug: DEMO_DECISION_SLUGS.secondRound,
				question: 'Should the monthly meeting move to the evening?',
				proposal:
					'Hold the monthly meeting **twice**: once at 10am and once at 6pm, with the same agenda, and share the notes of both.',
				process: 'consensus',
				status: 'closed',
				round: 2,
				previous_round_id: 'demo-decision-evenings-1',
				created_at: at(-19),
				closes_at: at(-8),
				opened_at: at(-18),
				closed_at: at(-8),
				outcome: 'Passed. From January the meeting runs twice a month, at 10am and at 6pm.',
				result: 'passed',
				outcome_at: at(-8),
				reminder_claimed_at: at(-9)
			}),
			responses: [
				{ who: 'priya', position: 'agree' },
				{ who: 'sam', position: 'agree' },
				{ who: 'jo', position: 'agree' },
				{
					who: 'tom',
					position: 'agree',
					reason: 'A daytime meeting keeps carers in. Thank you for listening.'
				}
			]
		},
		{
			row: base({
				id: 'demo-decision-cafe-topics',
				slug: DEMO_DECISION_SLUGS.dotVote,
				question: 'Which topics for the spring Knowledge Cafés?',
				proposal:
					'We have room for three cafés in the spring. Put your dots on the topics you most want to talk about.',
				process: 'dot',
				setting: 3,
				status: 'open',
				quorum: 5,
				closes_at: at(12),
				opened_at: at(-2)
			}),
			options: [
				'Loneliness after retirement',
				'Getting to appointments without a car',
				'Young carers at school',
				'Using your own assets'
			],
			responses: [
				{ who: 'priya', choices: { 0: 2, 2: 1 }, reason: 'Young carers are often missed.' },
				{ who: 'sam', choices: { 1: 3 } },
				{ who: 'jo', choices: { 0: 1, 1: 1, 3: 1 } }
			]
		},
		{
			row: base({
				id: 'demo-decision-saturday',
				slug: DEMO_DECISION_SLUGS.draft,
				question: 'Should we try a Saturday session?',
				proposal: 'A Saturday morning session once a quarter, for people who work all week.',
				process: 'consent',
				status: 'draft',
				closes_at: at(21)
			}),
			responses: []
		}
	];
	await db.transaction().execute(async (trx) => {
		for (const { row, options, responses } of decisions) {
			await trx.insertInto('decision').values(row).execute();
			const optionIds = (options ?? []).map((_, i) => `${row.id}-option-${i + 1}`);
			if (options?.length)
				await trx
					.insertInto('decision_option')
					.values(
						options.map((label, i) => ({
							id: `${row.id}-option-${i + 1}`,
							decision_id: row.id,
							position: i + 1,
							label
						}))
					)
					.execute();
			await trx
				.insertInto('decision_facilitator')
				.values({ decision_id: row.id, user_id: priya, added_at: row.created_at })
				.execute();
			await refreshSearchDocument(trx, DECISION_SEARCH, row.id);
			for (const [i, r] of responses.entries()) {
				const person = people.get(PEOPLE[r.who]);
				if (!person) continue;
				await trx
					.insertInto('decision_response')
					.values({
						id: `${row.id}-response-${i + 1}`,
						decision_id: row.id,
						person_id: person,
						position: r.position ?? null,
						choices: r.choices
							? JSON.stringify(
									Object.fromEntries(
										Object.entries(r.choices).map(([k, v]) => [optionIds[Number(k)], v])
									)
								)
							: null,
						reason: r.reason ?? '',
						updated_at: row.opened_at ?? row.created_at
					})
					.execute();
			}
		}
	});
}
