import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import {
	ORGANISATION_FACET,
	type CaseStudy,
	type CaseStudyPerson,
	type CaseStudyUpdate,
	type CaseStudyVersion,
	type NewCaseStudy
} from './case-studies.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Where a page of /library starts: after this case study (older than it). */
export interface CaseStudyCursor {
	publishedAt: string;
	id: string;
}

export async function insertCaseStudy(db: Db, row: NewCaseStudy): Promise<void> {
	await db.insertInto('case_study').values(row).execute();
}

export async function updateCaseStudyRow(db: Db, id: string, changes: CaseStudyUpdate) {
	await db.updateTable('case_study').set(changes).where('id', '=', id).execute();
}

export async function findCaseStudyBySlug(db: Db, slug: string): Promise<CaseStudy | undefined> {
	return db.selectFrom('case_study').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findCaseStudySlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('case_study')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

export async function insertCaseStudyVersion(db: Db, row: CaseStudyVersion): Promise<void> {
	await db.insertInto('case_study_version').values(row).execute();
}

export async function findCaseStudyVersion(
	db: Db,
	caseStudyId: string,
	version: number
): Promise<CaseStudyVersion | undefined> {
	return db
		.selectFrom('case_study_version')
		.selectAll()
		.where('case_study_id', '=', caseStudyId)
		.where('version', '=', version)
		.executeTakeFirst();
}

/** Every published version, newest first. */
export async function listCaseStudyVersions(
	db: Db,
	caseStudyId: string
): Promise<CaseStudyVersion[]> {
	return db
		.selectFrom('case_study_version')
		.selectAll()
		.where('case_study_id', '=', caseStudyId)
		.orderBy('version', 'desc')
		.execute();
}

/** The filter values of the published version, replacing those of the version before. */
export async function replaceFacets(
	db: Db,
	caseStudyId: string,
	facets: string[],
	publishedAt: string
): Promise<void> {
	await db.deleteFrom('case_study_facet').where('case_study_id', '=', caseStudyId).execute();
	if (facets.length)
		await db
			.insertInto('case_study_facet')
			.values(
				facets.map((facet) => ({ case_study_id: caseStudyId, facet, published_at: publishedAt }))
			)
			.execute();
}

/** A card on /library: the published version's words. */
export interface CaseStudyCard {
	id: string;
	slug: string;
	published_at: string;
	title: string;
	summary: string;
	continuum_stage: string | null;
	work_status: string | null;
	service_area_ids: string;
	dimension_keys: string;
}

function cards(db: Db) {
	return db
		.selectFrom('case_study as cs')
		.innerJoin('case_study_version as v', (join) =>
			join.onRef('v.case_study_id', '=', 'cs.id').onRef('v.version', '=', 'cs.published_version')
		)
		.select([
			'cs.id',
			'cs.slug',
			'v.title',
			'v.summary',
			'v.continuum_stage',
			'v.work_status',
			'v.service_area_ids',
			'v.dimension_keys'
		]);
}

/**
 * A page of published case studies, newest first, after a cursor (keyset paging: a deep page
 * costs what the first does). With filters, the page is read from the first filter's rows in
 * `case_study_facet_list_idx` (date order), each other filter checked by its primary key, so
 * the cost follows the page size and how selective the filters are, not the number of rows.
 * Reads `limit + 1` so the caller knows whether more follow.
 */
export async function listPublishedCaseStudies(
	db: Db,
	options: { facets: string[]; after?: CaseStudyCursor; limit: number }
): Promise<CaseStudyCard[]> {
	const [first, ...rest] = options.facets;
	const after = options.after;
	if (!first) {
		let q = cards(db).select('cs.published_at').where('cs.published_at', 'is not', null);
		if (after)
			q = q.where((eb) =>
				eb.or([
					eb('cs.published_at', '<', after.publishedAt),
					eb.and([eb('cs.published_at', '=', after.publishedAt), eb('cs.id', '<', after.id)])
				])
			);
		const rows = await q
			.orderBy('cs.published_at', 'desc')
			.orderBy('cs.id', 'desc')
			.limit(options.limit + 1)
			.execute();
		return rows.map((r) => ({ ...r, published_at: r.published_at! }));
	}
	let q = db
		.selectFrom('case_study_facet as f')
		.innerJoin('case_study as cs', 'cs.id', 'f.case_study_id')
		.innerJoin('case_study_version as v', (join) =>
			join.onRef('v.case_study_id', '=', 'cs.id').onRef('v.version', '=', 'cs.published_version')
		)
		.select([
			'cs.id',
			'cs.slug',
			'f.published_at',
			'v.title',
			'v.summary',
			'v.continuum_stage',
			'v.work_status',
			'v.service_area_ids',
			'v.dimension_keys'
		])
		.where('f.facet', '=', first);
	for (const facet of rest)
		q = q.where((eb) =>
			eb.exists(
				eb
					.selectFrom('case_study_facet as g')
					.select('g.facet')
					.whereRef('g.case_study_id', '=', 'f.case_study_id')
					.where('g.facet', '=', facet)
			)
		);
	if (after)
		q = q.where((eb) =>
			eb.or([
				eb('f.published_at', '<', after.publishedAt),
				eb.and([eb('f.published_at', '=', after.publishedAt), eb('f.case_study_id', '<', after.id)])
			])
		);
	return q
		.orderBy('f.published_at', 'desc')
		.orderBy('f.case_study_id', 'desc')
		.limit(options.limit + 1)
		.execute();
}

/** Published case studies showing any of these dimensions, newest first. */
export async function listPublishedWithFacets(
	db: Db,
	facets: string[],
	limit: number
): Promise<Array<CaseStudyCard>> {
	if (!facets.length) return [];
	const ids = db
		.selectFrom('case_study_facet as f')
		.select('f.case_study_id')
		.where('f.facet', 'in', facets);
	return cards(db)
		.select('cs.published_at')
		.where('cs.id', 'in', ids)
		.orderBy('cs.published_at', 'desc')
		.orderBy('cs.id', 'desc')
		.limit(limit)
		.execute()
		.then((rows) => rows.map((r) => ({ ...r, published_at: r.published_at! })));
}

/** Published case studies where this person is named and consented. */
export async function listPublishedInvolving(
	db: Db,
	userId: string,
	limit: number
): Promise<Array<{ slug: string; title: string }>> {
	return cards(db)
		.innerJoin('case_study_person as p', 'p.case_study_id', 'cs.id')
		.where('p.user_id', '=', userId)
		.where('p.state', '=', 'consented')
		.clearSelect()
		.select(['cs.slug', 'v.title'])
		.orderBy('cs.published_at', 'desc')
		.limit(limit)
		.execute();
}

/** What lists of case studies (the review queue, the author's own) show. */
export interface CaseStudyListItem {
	id: string;
	slug: string;
	title: string;
	review_state: CaseStudy['review_state'];
	review_message: string | null;
	published_version: number | null;
	submitted_at: string | null;
	updated_at: string;
	author_name: string | null;
}

function listItems(db: Db) {
	return db
		.selectFrom('case_study as cs')
		.leftJoin('app_user as u', 'u.id', 'cs.author_id')
		.select([
			'cs.id',
			'cs.slug',
			'cs.title',
			'cs.review_state',
			'cs.review_message',
			'cs.published_version',
			'cs.submitted_at',
			'cs.updated_at',
			'u.name as author_name'
		]);
}

/** Waiting for a curator, oldest first. */
export async function listWaitingCaseStudies(
	db: Db,
	options: { limit: number; offset: number }
): Promise<CaseStudyListItem[]> {
	return listItems(db)
		.where('cs.review_state', '=', 'waiting')
		.orderBy('cs.submitted_at')
		.orderBy('cs.id')
		.limit(options.limit)
		.offset(options.offset)
		.execute();
}

export async function listCaseStudiesOfAuthor(
	db: Db,
	authorId: string,
	options: { limit: number; offset: number }
): Promise<CaseStudyListItem[]> {
	return listItems(db)
		.where('cs.author_id', '=', authorId)
		.orderBy('cs.updated_at', 'desc')
		.orderBy('cs.id', 'desc')
		.limit(options.limit)
		.offset(options.offset)
		.execute();
}

// People involved ----------------------------------------------------------------------------

export async function insertInvolvement(db: Db, row: CaseStudyPerson): Promise<void> {
	await db.insertInto('case_study_person').values(row).execute();
}

export async function findInvolvement(db: Db, id: string): Promise<CaseStudyPerson | undefined> {
	return db.selectFrom('case_study_person').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateInvolvement(
	db: Db,
	id: string,
	changes: Partial<Pick<CaseStudyPerson, 'state' | 'answered_at' | 'role' | 'asked_at'>>
): Promise<void> {
	await db.updateTable('case_study_person').set(changes).where('id', '=', id).execute();
}

export async function deleteInvolvement(db: Db, id: string): Promise<void> {
	await db.deleteFrom('case_study_person').where('id', '=', id).execute();
}

/** The people named on a case study, with their names; `consentedOnly` for what visitors see. */
export async function listInvolvements(
	db: Db,
	caseStudyId: string,
	consentedOnly: boolean
): Promise<Array<CaseStudyPerson & { name: string }>> {
	let q = db
		.selectFrom('case_study_person as p')
		.innerJoin('app_user as u', 'u.id', 'p.user_id')
		.selectAll('p')
		.select('u.name')
		.where('p.case_study_id', '=', caseStudyId);
	if (consentedOnly) q = q.where('p.state', '=', 'consented');
	return q.orderBy('p.asked_at').orderBy('p.id').execute();
}

/** The times this person was named, with each case study's title and address. */
export async function listInvolvementsOfUser(db: Db, userId: string, limit: number) {
	return db
		.selectFrom('case_study_person as p')
		.innerJoin('case_study as cs', 'cs.id', 'p.case_study_id')
		.leftJoin('app_user as u', 'u.id', 'p.asked_by')
		.select([
			'p.id',
			'p.role',
			'p.state',
			'p.asked_at',
			'p.answered_at',
			'cs.slug',
			'cs.title',
			'cs.published_version',
			'u.name as asked_by_name'
		])
		.where('p.user_id', '=', userId)
		.orderBy('p.asked_at', 'desc')
		.limit(limit)
		.execute();
}

/** A member found by email address or id, for naming them as involved. */
export async function findMember(
	db: Db,
	by: { email: string } | { id: string }
): Promise<{ id: string; name: string; email: string } | undefined> {
	let q = db.selectFrom('app_user').select(['id', 'name', 'email']);
	q = 'email' in by ? q.where('email', '=', by.email.toLowerCase()) : q.where('id', '=', by.id);
	return q.executeTakeFirst();
}

// Organisations (the choices for "organisations involved") ----------------------------------

export async function listOrganisationChoices(
	db: Db,
	limit = 500
): Promise<Array<{ id: string; slug: string; name: string }>> {
	return db
		.selectFrom('organisation')
		.select(['id', 'slug', 'name'])
		.orderBy('name')
		.limit(limit)
		.execute();
}

/**
 * The organisations a published case study names: what /library's organisation filter offers
 * (one that no case study names would only ever lead to an empty page). One query: each
 * organisation is looked up in the filter index (`case_study_facet_list_idx`).
 */
export async function listOrganisationsInLibrary(
	db: Db,
	limit = 500
): Promise<Array<{ id: string; slug: string; name: string }>> {
	return db
		.selectFrom('organisation as o')
		.select(['o.id', 'o.slug', 'o.name'])
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('case_study_facet as f')
					.select('f.case_study_id')
					.where('f.facet', '=', sql<string>`${ORGANISATION_FACET} || ${sql.ref('o.id')}`)
			)
		)
		.orderBy('o.name')
		.limit(limit)
		.execute();
}

export async function findOrganisationsByIds(
	db: Db,
	ids: string[]
): Promise<Array<{ id: string; slug: string; name: string }>> {
	if (!ids.length) return [];
	return db
		.selectFrom('organisation')
		.select(['id', 'slug', 'name'])
		.where('id', 'in', ids)
		.execute();
}

export async function findOrganisationBySlug(
	db: Db,
	slug: string
): Promise<{ id: string; slug: string; name: string } | undefined> {
	return db
		.selectFrom('organisation')
		.select(['id', 'slug', 'name'])
		.where('slug', '=', slug)
		.executeTakeFirst();
}

/** Published case studies by id after `afterId`, for the sitemap (primary key order). */
export async function listPublishedCaseStudyLinks(
	db: Db,
	afterId: string | null,
	limit: number
): Promise<Array<{ id: string; slug: string; updated_at: string }>> {
	let q = db
		.selectFrom('case_study as cs')
		.innerJoin('case_study_version as v', (join) =>
			join.onRef('v.case_study_id', '=', 'cs.id').onRef('v.version', '=', 'cs.published_version')
		)
		.select(['cs.id', 'cs.slug', 'v.published_at as updated_at']);
	if (afterId !== null) q = q.where('cs.id', '>', afterId);
	return q.orderBy('cs.id').limit(limit).execute();
}
