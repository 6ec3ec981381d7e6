import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import { ForbiddenError } from '../refusals';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { Refusal, refusable as refusableAs } from '../refusals';
import { fieldErrors, wholeNumber, type FieldErrors, type FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import { findActiveRegistration, findEventRow, lockEventRow } from './events.repository';
import { standingOf } from './events.service';
import { refreshEventSearch } from './events.search';
import type { Event } from './events.tables';

/** How many topics one person may propose for one café. */
export const TOPICS_PER_PERSON = 3;
export const TOPIC_TITLE_MAX = 120;
export const TOPIC_DESCRIPTION_MAX = 500;
export const HARVEST_MAX = 5_000;

const topicSchema = z.object({
	title: z
		.string({ error: 'Enter your topic' })
		.trim()
		.min(1, 'Enter your topic')
		.max(TOPIC_TITLE_MAX, `Topic must be ${TOPIC_TITLE_MAX} characters or fewer`),
	description: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim())
		.pipe(
			z
				.string()
				.max(TOPIC_DESCRIPTION_MAX, `Say more in ${TOPIC_DESCRIPTION_MAX} characters or fewer`)
		)
		.transform((v) => v || null)
});

/** A host closes the café vote into this many tables. */
export const closeSchema = z.object({
	tables: wholeNumber({
		label: 'How many tables',
		min: 1,
		max: 20,
		required: 'Enter how many tables',
		tooSmall: 'Have at least 1 table',
		tooBig: 'Have at most 20 tables'
	})
});

const harvestSchema = z.object({
	harvest: z
		.string({ error: 'Write what the table found' })
		.trim()
		.min(1, 'Write what the table found')
		.max(
			HARVEST_MAX,
			`The harvest must be ${HARVEST_MAX.toLocaleString('en-GB')} characters or fewer`
		)
});

type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
type Refused = { ok: false; reason: 'not_found' | 'closed' };

async function hasPlace(
	db: Kysely<DB> | Transaction<DB>,
	actor: Actor | null | undefined,
	eventId: string
): Promise<boolean> {
	if (!isPerson(actor)) return false;
	const mine = await findActiveRegistration(db, eventId, { userId: actor.id });
	return mine?.status === 'confirmed';
}

/** Topics can be proposed and voted on until the host closes the vote or the café starts. */
function voteOpen(event: Event, now: string): boolean {
	return event.status === 'scheduled' && !event.cafe_vote_closed_at && event.starts_at > now;
}

export interface CafeTopicView {
	id: string;
	title: string;
	description: string | null;
	proposedBy: string | null;
	dots: number;
	mine: number;
	tableNumber: number | null;
	tableHost: string | null;
	harvest: string | null;
	canWriteHarvest: boolean;
}

export interface CafeView {
	eventId: string;
	title: string;
	open: boolean;
	closedAt: string | null;
	dotsEach: number;
	dotsLeft: number;
	tables: number;
	rounds: number;
	can: { propose: boolean; vote: boolean; close: boolean };
	/** Most dots first while voting; by table number once the vote has closed. */
	topics: CafeTopicView[];
}

/** A café's topics, votes and tables, as this viewer may see and use them. */
export async function viewCafe(
	db: Kysely<DB>,
	viewer: Actor | null | undefined,
	eventId: string,
	now = nowIso()
): Promise<CafeView | undefined> {
	const event = await findEventRow(db, eventId);
	if (!event) return undefined;
	const standing = await standingOf(db, viewer, event);
	if (!standing.see) return undefined;
	const viewerId = isPerson(viewer) ? viewer.id : '';
	const rows = await db
		.selectFrom('event_cafe_topic as t')
		.leftJoin('app_user as p', 'p.id', 't.proposed_by')
		.leftJoin('app_user as h', 'h.id', 't.table_host_id')
		.select([
			't.id',
			't.title',
			't.description',
			't.table_number',
			't.table_host_id',
			't.harvest',
			't.created_at',
			'p.name as proposer',
			'h.name as table_host',
			(eb) =>
				eb
					.selectFrom('event_cafe_dot as d')
					.select(sql<number>`coalesce(sum(d.dots), 0)`.as('n'))
					.whereRef('d.topic_id', '=', 't.id')
					.as('dots'),
			(eb) =>
				eb
					.selectFrom('event_cafe_dot as d')
					.select('d.dots')
					.whereRef('d.topic_id', '=', 't.id')
					.where('d.user_id', '=', viewerId)
					.as('mine')
		])
		.where('t.event_id', '=', eventId)
		.execute();
	const open = voteOpen(event, now);
	const placed = await hasPlace(db, viewer, eventId);
	const used = rows.reduce((n, r) => n + Number(r.mine ?? 0), 0);
	const topics = rows
		.map((r) => ({
			id: r.id,
			title: r.title,
			description: r.description,
			proposedBy: r.proposer,
			dots: Number(r.dots ?? 0),
			mine: Number(r.mine ?? 0),
			tableNumber: r.table_number,
			tableHost: r.table_host,
			harvest: r.harvest,
			canWriteHarvest:
				r.table_number !== null &&
				(standing.manage || (!!viewerId && r.table_host_id === viewerId)),
			created: r.created_at
		}))
		.sort((a, b) =>
			event.cafe_vote_closed_at
				? (a.tableNumber ?? 99) - (b.tableNumber ?? 99) || b.dots - a.dots
				: b.dots - a.dots || a.created.localeCompare(b.created)
		)
		.map(({ created, ...topic }) => (void created, topic));
	return {
		eventId,
		title: event.title,
		open,
		closedAt: event.cafe_vote_closed_at,
		dotsEach: event.cafe_dots,
		dotsLeft: Math.max(0, event.cafe_dots - used),
		tables: event.cafe_tables,
		rounds: event.cafe_rounds,
		can: {
			propose: open && (placed || standing.manage),
			vote: open && placed,
			close: standing.manage && event.status === 'scheduled'
		},
		topics
	};
}

async function cafeEvent(trx: Transaction<DB>, eventId: string): Promise<Event> {
	const event = await lockEventRow(trx, eventId);
	if (!event) throw new Refusal<Refused['reason']>('not_found');
	return event;
}

/** Refusals found inside a transaction roll it back and reach the caller as a reason. */
function refusable<T>(work: () => Promise<T>): Promise<T | Refused> {
	return refusableAs<T, Refused['reason']>(work);
}

/** Someone with a place (or the host) proposes a topic for the tables. */
export async function proposeTopic(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | Refused> {
	const parsed = topicSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await cafeEvent(trx, eventId);
			const standing = await standingOf(trx, actor, event);
			assertCan(
				isPerson(actor) && (standing.manage || (await hasPlace(trx, actor, eventId))),
				'Only people with a place can propose topics.'
			);
			if (!voteOpen(event, now)) throw new Refusal<Refused['reason']>('closed');
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			const theirs = await trx
				.selectFrom('event_cafe_topic')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('event_id', '=', eventId)
				.where('proposed_by', '=', actor.id)
				.executeTakeFirstOrThrow();
			if (Number(theirs.n) >= TOPICS_PER_PERSON) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: { title: `You can propose up to ${TOPICS_PER_PERSON} topics for one café` }
				};
			}
			await trx
				.insertInto('event_cafe_topic')
				.values({
					id: newId(),
					event_id: eventId,
					proposed_by: actor.id,
					title: parsed.data.title,
					description: parsed.data.description,
					created_at: now
				})
				.execute();
			return { ok: true as const };
		})
	);
}

/**
 * Gives a dot to a topic (+1) or takes one back (-1). Everyone has `cafe_dots` dots (3 by
 * default) and may put several on one topic. Counted under the event's lock, so quick clicks
 * can never spend more dots than a person has.
 */
export async function changeDots(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	topicId: string,
	delta: 1 | -1,
	now = nowIso()
): Promise<{ ok: true } | { ok: false; reason: 'no_dots_left' | 'none_to_take' } | Refused> {
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await cafeEvent(trx, eventId);
			assertCan(
				isPerson(actor) && (await hasPlace(trx, actor, eventId)),
				'Only people with a place can vote.'
			);
			if (!voteOpen(event, now)) throw new Refusal<Refused['reason']>('closed');
			const topic = await trx
				.selectFrom('event_cafe_topic')
				.select('id')
				.where('id', '=', topicId)
				.where('event_id', '=', eventId)
				.executeTakeFirst();
			if (!topic) throw new Refusal<Refused['reason']>('not_found');
			const given = await trx
				.selectFrom('event_cafe_dot')
				.select(['topic_id', 'dots'])
				.where('event_id', '=', eventId)
				.where('user_id', '=', actor.id)
				.execute();
			const used = given.reduce((n, d) => n + d.dots, 0);
			const onThis = given.find((d) => d.topic_id === topicId)?.dots ?? 0;
			if (delta === 1 && used >= event.cafe_dots) {
				return { ok: false as const, reason: 'no_dots_left' as const };
			}
			if (delta === -1 && onThis === 0)
				return { ok: false as const, reason: 'none_to_take' as const };
			const next = onThis + delta;
			if (next === 0) {
				await trx
					.deleteFrom('event_cafe_dot')
					.where('topic_id', '=', topicId)
					.where('user_id', '=', actor.id)
					.execute();
			} else {
				await trx
					.insertInto('event_cafe_dot')
					.values({ event_id: eventId, topic_id: topicId, user_id: actor.id, dots: next })
					.onConflict((oc) => oc.columns(['topic_id', 'user_id']).doUpdateSet({ dots: next }))
					.execute();
			}
			return { ok: true as const };
		})
	);
}

/**
 * The host closes the vote: the topics with most dots become tables 1, 2, 3… (ties go to the
 * topic proposed first), each hosted by whoever proposed it.
 */
export async function closeVote(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true; tables: number } | Invalid | Refused> {
	const parsed = closeSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await cafeEvent(trx, eventId);
			assertCan((await standingOf(trx, actor, event)).manage, 'Only the host can close the vote.');
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			if (event.cafe_vote_closed_at || event.status !== 'scheduled') {
				throw new Refusal<Refused['reason']>('closed');
			}
			const ranked = await trx
				.selectFrom('event_cafe_topic as t')
				.select([
					't.id',
					't.proposed_by',
					't.created_at',
					(eb) =>
						eb
							.selectFrom('event_cafe_dot as d')
							.select(sql<number>`coalesce(sum(d.dots), 0)`.as('n'))
							.whereRef('d.topic_id', '=', 't.id')
							.as('dots')
				])
				.where('t.event_id', '=', eventId)
				.execute();
			ranked.sort(
				(a, b) =>
					Number(b.dots ?? 0) - Number(a.dots ?? 0) || a.created_at.localeCompare(b.created_at)
			);
			const chosen = ranked.slice(0, parsed.data.tables);
			for (const [index, topic] of chosen.entries()) {
				await trx
					.updateTable('event_cafe_topic')
					.set({ table_number: index + 1, table_host_id: topic.proposed_by })
					.where('id', '=', topic.id)
					.execute();
			}
			await trx
				.updateTable('event')
				.set({ cafe_vote_closed_at: now, cafe_tables: parsed.data.tables, updated_at: now })
				.where('id', '=', eventId)
				.execute();
			// The tables and their harvests now show on the event's page, so in its document.
			await refreshEventSearch(trx, eventId, { talks: false });
			return { ok: true as const, tables: chosen.length };
		})
	);
}

/** A table's host (or the café's host) writes what the table found: shown on the event page. */
export async function writeHarvest(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	topicId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | Refused> {
	const parsed = harvestSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await cafeEvent(trx, eventId);
			const topic = await trx
				.selectFrom('event_cafe_topic')
				.select(['id', 'table_number', 'table_host_id'])
				.where('id', '=', topicId)
				.where('event_id', '=', eventId)
				.executeTakeFirst();
			if (!topic || topic.table_number === null) throw new Refusal<Refused['reason']>('not_found');
			const manage = (await standingOf(trx, actor, event)).manage;
			if (!manage && !(isPerson(actor) && topic.table_host_id === actor.id)) {
				throw new ForbiddenError(
					'Only the table’s host and the café’s host can write its harvest.'
				);
			}
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			await trx
				.updateTable('event_cafe_topic')
				.set({ harvest: parsed.data.harvest, harvest_updated_at: now })
				.where('id', '=', topicId)
				.execute();
			await refreshEventSearch(trx, eventId, { talks: false });
			return { ok: true as const };
		})
	);
}
