import type { PersonalDataRegistration } from '../your-data/your-data.types';

// The statement belongs to the network: deleting an account never removes the statement or a
// version; they lose the person's name. Amendments and comments are contributions (removed, or
// kept without a name, as the person chooses; an agreed amendment is in a version either way).
// Supports and a person's own endorsements are personal and go. An endorsement someone signed
// for an organisation is the organisation's: it stays, without the signer's name.

export const statements: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement',
	personColumns: ['created_by'],
	kind: 'personal',
	onDelete: 'A statement you started stays, without your name.',
	async erase(trx, { person }) {
		const r = await trx
			.updateTable('statement')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(r.numUpdatedRows);
	}
};

export const statementVersions: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement_version',
	personColumns: ['made_by'],
	kind: 'personal',
	onDelete: 'Versions of the statement you made stay, without your name.',
	async erase(trx, { person }) {
		const r = await trx
			.updateTable('statement_version')
			.set({ made_by: null })
			.where('made_by', '=', person.id)
			.executeTakeFirst();
		return Number(r.numUpdatedRows);
	}
};

export const statementAmendments: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement_amendment',
	personColumns: ['author_id', 'decided_by'],
	kind: 'contribution',
	onDelete:
		'Amendments you proposed are removed, or kept without your name, as you choose (agreed ones are part of the statement either way). Decisions you recorded stay, without your name.',
	exportAs: 'statementAmendmentsYouProposed',
	async export(db, person) {
		const rows = await db
			.selectFrom('statement_amendment')
			.select([
				'id',
				'kind',
				'original_text',
				'new_text',
				'reason',
				'status',
				'decision_note',
				'created_at'
			])
			.where('author_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({ ...r, address: `/statement/amendments/${r.id}` }));
	},
	async erase(trx, { person, contributions }) {
		let changed = 0;
		if (contributions === 'remove') {
			// An agreed amendment is in a version already: it stays, without the name.
			const removed = await trx
				.deleteFrom('statement_amendment')
				.where('author_id', '=', person.id)
				.where('status', '!=', 'agreed')
				.executeTakeFirst();
			changed += Number(removed.numDeletedRows);
		}
		const kept = await trx
			.updateTable('statement_amendment')
			.set({ author_id: null })
			.where('author_id', '=', person.id)
			.executeTakeFirst();
		const decided = await trx
			.updateTable('statement_amendment')
			.set({ decided_by: null })
			.where('decided_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(kept.numUpdatedRows) + Number(decided.numUpdatedRows);
	}
};

export const statementComments: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement_amendment_comment',
	personColumns: ['author_id'],
	kind: 'contribution',
	onDelete:
		'Comments you wrote on amendments are removed, or kept without your name, as you choose.',
	exportAs: 'statementCommentsYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('statement_amendment_comment')
			.select(['id', 'amendment_id', 'body', 'created_at', 'edited_at'])
			.where('author_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({
			...r,
			address: `/statement/amendments/${r.amendment_id}#comment-${r.id}`
		}));
	},
	async erase(trx, { person, contributions }) {
		const r =
			contributions === 'remove'
				? Number(
						(
							await trx
								.deleteFrom('statement_amendment_comment')
								.where('author_id', '=', person.id)
								.executeTakeFirst()
						).numDeletedRows
					)
				: Number(
						(
							await trx
								.updateTable('statement_amendment_comment')
								.set({ author_id: null })
								.where('author_id', '=', person.id)
								.executeTakeFirst()
						).numUpdatedRows
					);
		return r;
	}
};

export const statementSupports: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement_amendment_support',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your support for amendments is removed.',
	exportAs: 'statementAmendmentsYouSupport',
	async export(db, person) {
		const rows = await db
			.selectFrom('statement_amendment_support')
			.select(['amendment_id', 'created_at'])
			.where('user_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({ ...r, address: `/statement/amendments/${r.amendment_id}` }));
	},
	async erase(trx, { person }) {
		const r = await trx
			.deleteFrom('statement_amendment_support')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(r.numDeletedRows);
	}
};

export const statementEndorsements: PersonalDataRegistration = {
	feature: 'statements',
	table: 'statement_endorsement',
	personColumns: ['signed_by'],
	kind: 'personal',
	onDelete:
		'Your own endorsements of the statement are removed. Endorsements you signed for an organisation stay, as the organisation’s, without your name.',
	exportAs: 'statementEndorsementsYouSigned',
	async export(db, person) {
		return db
			.selectFrom('statement_endorsement as e')
			.innerJoin('statement_version as v', 'v.id', 'e.version_id')
			.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
			.select(['v.number as version', 'o.name as organisation', 'e.note', 'e.created_at'])
			.where('e.signed_by', '=', person.id)
			.orderBy('e.created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const own = await trx
			.deleteFrom('statement_endorsement')
			.where('endorser_key', '=', `person:${person.id}`)
			.executeTakeFirst();
		const signed = await trx
			.updateTable('statement_endorsement')
			.set({ signed_by: null })
			.where('signed_by', '=', person.id)
			.executeTakeFirst();
		return Number(own.numDeletedRows) + Number(signed.numUpdatedRows);
	}
};

/** Comments and supports before amendments (removing an amendment removes its own). */
export const STATEMENTS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	statementComments,
	statementSupports,
	statementAmendments,
	statementEndorsements,
	statementVersions,
	statements
];
