import type { PersonalDataRegistration } from '../your-data/your-data.types';

// A decision is the group's record, so it stays when the person who started it leaves; only
// their name goes. Facilitating and being named in a group are the person's own: they go.
//
// Positions are personal data. "Download my data" holds every response still linked to the
// person: all their responses to decisions with names, and their response to an anonymous
// decision while it is open (they can still see and change it). Once an anonymous decision
// has closed, its responses are linked to nobody (see unlinkResponses in the service), so they
// are not in anyone's download: not even the person can prove how they answered, which is the
// promise anonymity makes to everyone else. Deleting an account removes responses to
// decisions still open (they no longer take part) and keeps responses to closed ones without
// the name, so the record of what was decided does not change after the event.

export const decisions: PersonalDataRegistration = {
	feature: 'decisions',
	table: 'decision',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete:
		'Decisions you started stay as the group’s record, without your name. Other facilitators and curators carry on running them.',
	exportAs: 'decisionsYouStarted',
	async export(db, person) {
		const rows = await db
			.selectFrom('decision')
			.select([
				'slug',
				'question',
				'proposal',
				'process',
				'status',
				'outcome',
				'result',
				'round',
				'created_at'
			])
			.where('created_by', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map(({ slug, ...r }) => ({ ...r, address: `/decisions/${slug}` }));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('decision')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const decisionFacilitators: PersonalDataRegistration = {
	feature: 'decisions',
	table: 'decision_facilitator',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You stop facilitating decisions.',
	exportAs: 'decisionsYouFacilitate',
	async export(db, person) {
		const rows = await db
			.selectFrom('decision_facilitator as f')
			.innerJoin('decision as d', 'd.id', 'f.decision_id')
			.select(['d.question', 'd.slug', 'f.added_at'])
			.where('f.user_id', '=', person.id)
			.orderBy('f.added_at')
			.execute();
		return rows.map((r) => ({
			decision: r.question,
			address: `/decisions/${r.slug}`,
			since: r.added_at
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('decision_facilitator')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const decisionGroupMembers: PersonalDataRegistration = {
	feature: 'decisions',
	table: 'decision_group_member',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You leave the named groups of decisions.',
	exportAs: 'decisionGroupsYouAreIn',
	async export(db, person) {
		const rows = await db
			.selectFrom('decision_group_member as g')
			.innerJoin('decision as d', 'd.id', 'g.decision_id')
			.select(['d.question', 'd.slug', 'g.added_at'])
			.where('g.user_id', '=', person.id)
			.orderBy('g.added_at')
			.execute();
		return rows.map((r) => ({
			decision: r.question,
			address: `/decisions/${r.slug}`,
			since: r.added_at
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('decision_group_member')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const decisionResponses: PersonalDataRegistration = {
	feature: 'decisions',
	table: 'decision_response',
	personColumns: ['person_id'],
	kind: 'personal',
	onDelete:
		'Your responses to decisions still open are removed. Your responses to closed decisions stay in their counts, without your name, so the record of what was decided does not change.',
	exportAs: 'yourPositionsOnDecisions',
	async export(db, person) {
		const rows = await db
			.selectFrom('decision_response as r')
			.innerJoin('decision as d', 'd.id', 'r.decision_id')
			.select([
				'd.question',
				'd.slug',
				'd.anonymous',
				'r.position',
				'r.choices',
				'r.reason',
				'r.updated_at'
			])
			.where('r.person_id', '=', person.id)
			.orderBy('d.created_at')
			.execute();
		const options = rows.length
			? await db
					.selectFrom('decision_option')
					.select(['id', 'label'])
					.where(
						'decision_id',
						'in',
						db
							.selectFrom('decision_response')
							.select('decision_id')
							.where('person_id', '=', person.id)
					)
					.execute()
			: [];
		const label = new Map(options.map((o) => [o.id, o.label]));
		return rows.map((r) => ({
			decision: r.question,
			address: `/decisions/${r.slug}`,
			anonymous: r.anonymous === 1,
			position: r.position,
			choices: r.choices
				? Object.fromEntries(
						Object.entries(JSON.parse(r.choices) as Record<string, number>).map(([id, n]) => [
							label.get(id) ?? id,
							n
						])
					)
				: null,
			reason: r.reason,
			updatedAt: r.updated_at
		}));
	},
	async erase(trx, { person }) {
		const removed = await trx
			.deleteFrom('decision_response')
			.where('person_id', '=', person.id)
			.where(
				'decision_id',
				'in',
				trx.selectFrom('decision').select('id').where('status', '!=', 'closed')
			)
			.executeTakeFirst();
		const kept = await trx
			.updateTable('decision_response')
			.set({ person_id: null, updated_at: null })
			.where('person_id', '=', person.id)
			.executeTakeFirst();
		return Number(removed.numDeletedRows) + Number(kept.numUpdatedRows);
	}
};

export const DECISIONS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	decisions,
	decisionFacilitators,
	decisionGroupMembers,
	decisionResponses
];
