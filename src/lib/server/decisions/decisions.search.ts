import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import type { SearchRegistration, SearchVisibility } from '../search/search.registry';
import type { DecisionAudience, DecisionStatus } from './decisions.tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface DecisionSearchRow {
	id: string;
	slug: string;
	question: string;
	proposal: string;
	outcome: string | null;
	status: DecisionStatus;
	audience: DecisionAudience;
	audience_organisation_id: string | null;
	audience_event_id: string | null;
	opened_at: string | null;
	created_at: string;
	updated_at: string;
	options: string[];
}

/** Decisions in id order: shared by loadRow and the reindex, so the two cannot disagree. */
function decisionRows(db: Db) {
	return db
		.selectFrom('decision')
		.select([
			'id',
			'slug',
			'question',
			'proposal',
			'outcome',
			'status',
			'audience',
			'audience_organisation_id',
			'audience_event_id',
			'opened_at',
			'created_at',
			'updated_at'
		])
		.orderBy('id');
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof decisionRows>['execute']>>[number];

/** Each decision's option labels, for a whole batch in one query. */
async function withOptions(db: Db, rows: BaseRow[]): Promise<DecisionSearchRow[]> {
	if (!rows.length) return [];
	const options = await db
		.selectFrom('decision_option')
		.select(['decision_id', 'label'])
		.where(
			'decision_id',
			'in',
			rows.map((r) => r.id)
		)
		.orderBy('decision_id')
		.orderBy('position')
		.execute();
	return rows.map((r) => ({
		...r,
		options: options.filter((o) => o.decision_id === r.id).map((o) => o.label)
	}));
}

/** Audience keys for decisions put to some people only: one per organisation, event or group. */
export const DECISION_AUDIENCE_KEYS = {
	organisation: (organisationId: string) => `decision-org:${organisationId}` as const,
	event: (eventId: string) => `decision-event:${eventId}` as const,
	group: (decisionId: string) => `decision-group:${decisionId}` as const
};

/**
 * Who finds a decision: nobody while it is a draft; every member when it is put to all members;
 * otherwise only the people it is put to (decisions.repository's `participantIds`): the
 * organisation's members, the event's confirmed registrants, or the named group (and the
 * decision's facilitators, who chose that group). Visitors never: decisions need signing in.
 *
 * Stricter than `canSeeDecision`, which lets any member open a non-draft decision by its
 * address: search keeps a decision among the people it concerns, and never shows a restricted
 * one to everyone.
 */
function visibilityOf(row: DecisionSearchRow): SearchVisibility | null {
	switch (row.audience) {
		case 'members':
			return 'members';
		case 'organisation':
			return row.audience_organisation_id
				? DECISION_AUDIENCE_KEYS.organisation(row.audience_organisation_id)
				: null;
		case 'event':
			return row.audience_event_id ? DECISION_AUDIENCE_KEYS.event(row.audience_event_id) : null;
		case 'group':
			return DECISION_AUDIENCE_KEYS.group(row.id);
		default:
			return null;
	}
}

export const DECISION_SEARCH: SearchRegistration<DecisionSearchRow> = {
	kind: 'decision',
	label: 'Decision',
	toDocument(row) {
		if (row.status === 'draft') return null;
		const visibility = visibilityOf(row);
		if (!visibility) return null;
		const text = [markdownToPlainText(row.proposal), ...row.options];
		if (row.outcome) text.push(markdownToPlainText(row.outcome));
		return {
			kind: 'decision',
			docId: row.id,
			title: row.question,
			body: text.join('\n'),
			path: `/decisions/${row.slug}`,
			type: row.status,
			startsAt: row.opened_at ?? row.created_at,
			organisationId: row.audience_organisation_id,
			visibility,
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, id) {
		const rows = await decisionRows(db).where('id', '=', id).execute();
		return (await withOptions(db, rows))[0];
	},
	async listForReindex(db, { after, limit }) {
		let query = decisionRows(db).limit(limit);
		if (after) query = query.where('id', '>', after);
		const rows = await withOptions(db, await query.execute());
		return { rows, lastId: rows.at(-1)?.id ?? null };
	},
	async audiencesFor(db, userId) {
		// Only events and groups that some decision is put to: a person's whole registration
		// history would make a long list for nothing.
		const [organisations, events, groups, facilitated] = await Promise.all([
			db
				.selectFrom('organisation_member')
				.select('organisation_id')
				.where('user_id', '=', userId)
				.execute(),
			db
				.selectFrom('event_registration as r')
				.select('r.event_id')
				.distinct()
				.where('r.user_id', '=', userId)
				.where('r.status', '=', 'confirmed')
				.where((eb) =>
					eb.exists(
						eb
							.selectFrom('decision as d')
							.select('d.id')
							.whereRef('d.audience_event_id', '=', 'r.event_id')
							.where('d.audience', '=', 'event')
					)
				)
				.execute(),
			db
				.selectFrom('decision_group_member as g')
				.innerJoin('decision as d', 'd.id', 'g.decision_id')
				.select('g.decision_id')
				.where('g.user_id', '=', userId)
				.where('d.audience', '=', 'group')
				.execute(),
			db
				.selectFrom('decision_facilitator as f')
				.innerJoin('decision as d', 'd.id', 'f.decision_id')
				.select('f.decision_id')
				.where('f.user_id', '=', userId)
				.where('d.audience', '=', 'group')
				.execute()
		]);
		return [
			...organisations.map((o) => DECISION_AUDIENCE_KEYS.organisation(o.organisation_id)),
			...events.map((e) => DECISION_AUDIENCE_KEYS.event(e.event_id)),
			...new Set(
				[...groups, ...facilitated].map((g) => DECISION_AUDIENCE_KEYS.group(g.decision_id))
			)
		];
	}
};
