import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	AmendmentStatus,
	StatementClauseTable,
	StatementSectionTable
} from './statements.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function findStatement(db: Db, by: { slug: string } | { id: string }) {
	return db
		.selectFrom('statement')
		.selectAll()
		.where('slug' in by ? 'slug' : 'id', '=', 'slug' in by ? by.slug : by.id)
		.executeTakeFirst();
}

export async function findVersion(db: Db, statementId: string, number: number) {
	return db
		.selectFrom('statement_version as v')
		.leftJoin('app_user as u', 'u.id', 'v.made_by')
		.select([
			'v.id',
			'v.statement_id',
			'v.number',
			'v.note',
			'v.made_by',
			'v.decision_id',
			'v.created_at',
			'u.name as made_by_name'
		])
		.where('v.statement_id', '=', statementId)
		.where('v.number', '=', number)
		.executeTakeFirst();
}

export async function listVersionRows(db: Db, statementId: string) {
	return db
		.selectFrom('statement_version as v')
		.leftJoin('app_user as u', 'u.id', 'v.made_by')
		.select([
			'v.id',
			'v.number',
			'v.note',
			'v.decision_id',
			'v.created_at',
			'u.name as made_by_name'
		])
		.where('v.statement_id', '=', statementId)
		.orderBy('v.number', 'desc')
		.execute();
}

export async function sectionsOf(db: Db, versionId: string) {
	return db
		.selectFrom('statement_section')
		.selectAll()
		.where('version_id', '=', versionId)
		.orderBy('position')
		.execute();
}

export async function clausesOf(db: Db, versionId: string) {
	return db
		.selectFrom('statement_clause')
		.selectAll()
		.where('version_id', '=', versionId)
		.orderBy('section_id')
		.orderBy('position')
		.execute();
}

export async function findClause(db: Db, versionId: string, clauseId: string) {
	return db
		.selectFrom('statement_clause')
		.selectAll()
		.where('version_id', '=', versionId)
		.where('clause_id', '=', clauseId)
		.executeTakeFirst();
}

export async function findSection(db: Db, versionId: string, sectionId: string) {
	return db
		.selectFrom('statement_section')
		.selectAll()
		.where('version_id', '=', versionId)
		.where('section_id', '=', sectionId)
		.executeTakeFirst();
}

/** Writes a version's sections and clauses, a few hundred rows a statement. */
export async function insertSnapshot(
	trx: Db,
	sections: Insertable<StatementSectionTable>[],
	clauses: Insertable<StatementClauseTable>[]
): Promise<void> {
	if (sections.length) await trx.insertInto('statement_section').values(sections).execute();
	for (let i = 0; i < clauses.length; i += 500)
		await trx
			.insertInto('statement_clause')
			.values(clauses.slice(i, i + 500))
			.execute();
}

export async function findAmendment(db: Db, id: string) {
	return db
		.selectFrom('statement_amendment as a')
		.innerJoin('statement as s', 's.id', 'a.statement_id')
		.innerJoin('statement_version as v', 'v.id', 'a.version_id')
		.leftJoin('app_user as u', 'u.id', 'a.author_id')
		.leftJoin('app_user as d', 'd.id', 'a.decided_by')
		.leftJoin('statement_version as av', 'av.id', 'a.applied_version_id')
		.selectAll('a')
		.select([
			's.slug as statement_slug',
			's.title as statement_title',
			's.current_version',
			'v.number as version_number',
			'u.name as author_name',
			'd.name as decided_by_name',
			'av.number as applied_version_number'
		])
		.where('a.id', '=', id)
		.executeTakeFirst();
}

export type AmendmentRow = NonNullable<Awaited<ReturnType<typeof findAmendment>>>;

/** Amendments of a statement with a status, with their authors and support counts. */
export async function listAmendmentRows(db: Db, statementId: string, statuses: AmendmentStatus[]) {
	return db
		.selectFrom('statement_amendment as a')
		.leftJoin('app_user as u', 'u.id', 'a.author_id')
		.select((eb) => [
			'a.id',
			'a.kind',
			'a.clause_id',
			'a.section_id',
			'a.original_text',
			'a.new_text',
			'a.reason',
			'a.status',
			'a.author_id',
			'a.created_at',
			'a.decided_at',
			'a.decision_note',
			'a.decision_id',
			'u.name as author_name',
			eb
				.selectFrom('statement_amendment_support as s')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('s.amendment_id', '=', 'a.id')
				.as('supporters'),
			eb
				.selectFrom('statement_amendment_comment as c')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('c.amendment_id', '=', 'a.id')
				.as('comments')
		])
		.where('a.statement_id', '=', statementId)
		.where('a.status', 'in', statuses)
		.orderBy('a.created_at')
		.orderBy('a.id')
		.execute();
}

export async function commentsOf(db: Db, amendmentId: string) {
	return db
		.selectFrom('statement_amendment_comment as c')
		.leftJoin('app_user as u', 'u.id', 'c.author_id')
		.select([
			'c.id',
			'c.author_id',
			'c.body',
			'c.created_at',
			'c.edited_at',
			'u.name as author_name'
		])
		.where('c.amendment_id', '=', amendmentId)
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
}

export async function findComment(db: Db, id: string) {
	return db
		.selectFrom('statement_amendment_comment')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
}

export async function supportersOf(db: Db, amendmentId: string) {
	return db
		.selectFrom('statement_amendment_support as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.select(['s.user_id', 'u.name', 's.created_at'])
		.where('s.amendment_id', '=', amendmentId)
		.orderBy('s.created_at')
		.orderBy('s.user_id')
		.execute();
}

export async function endorsementRows(db: Db, statementId: string) {
	return db
		.selectFrom('statement_endorsement as e')
		.innerJoin('statement_version as v', 'v.id', 'e.version_id')
		.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
		.leftJoin('app_user as u', 'u.id', 'e.signed_by')
		.select([
			'e.id',
			'e.organisation_id',
			'e.endorser_key',
			'e.signed_by',
			'e.note',
			'e.created_at',
			'v.number as version_number',
			'o.name as organisation_name',
			'o.slug as organisation_slug',
			'u.name as signer_name'
		])
		.where('e.statement_id', '=', statementId)
		.orderBy('v.number', 'desc')
		.orderBy('e.created_at')
		.orderBy('e.id')
		.execute();
}

/**
 * Marks open amendments of the current version as being put to a decision (`claim`), only if
 * none of them is already: the number marked tells. Undone with `releaseAmendmentDecision`.
 */
export async function claimAmendmentsForDecision(
	db: Db,
	ids: string[],
	versionId: string,
	claim: string
): Promise<number> {
	const result = await db
		.updateTable('statement_amendment')
		.set({ decision_id: claim })
		.where('id', 'in', ids)
		.where('status', '=', 'open')
		.where('version_id', '=', versionId)
		.where('decision_id', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Replaces a claim on amendments with the decision it became (or null to undo it). */
export async function releaseAmendmentDecision(
	db: Db,
	claim: string,
	decisionId: string | null
): Promise<void> {
	await db
		.updateTable('statement_amendment')
		.set({ decision_id: decisionId })
		.where('decision_id', '=', claim)
		.execute();
}
