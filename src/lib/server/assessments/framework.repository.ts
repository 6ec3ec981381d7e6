import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	FrameworkDimension,
	FrameworkDimensionTable,
	FrameworkStatement,
	FrameworkStatementTable,
	FrameworkVersion,
	FrameworkVersionTable
} from './assessments.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** The version with the highest number: the one new assessments use. */
export async function findCurrentVersion(db: Db): Promise<FrameworkVersion | undefined> {
	return db
		.selectFrom('framework_version')
		.selectAll()
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/** A version as the history shows it: who saved it is a name only, or null once they left. */
export interface VersionSummary {
	id: string;
	number: number;
	note: string | null;
	created_at: string;
	created_by_name: string | null;
}

/** The latest `limit` versions, newest first (the unique index on number serves the order). */
export async function listVersions(db: Db, limit: number): Promise<VersionSummary[]> {
	return db
		.selectFrom('framework_version as v')
		.leftJoin('app_user as u', 'u.id', 'v.created_by')
		.select(['v.id', 'v.number', 'v.note', 'v.created_at', 'u.name as created_by_name'])
		.orderBy('v.number', 'desc')
		.limit(limit)
		.execute();
}

export async function findVersionById(
	db: Db,
	versionId: string
): Promise<FrameworkVersion | undefined> {
	return db
		.selectFrom('framework_version')
		.selectAll()
		.where('id', '=', versionId)
		.executeTakeFirst();
}

/** A version's dimensions, in framework order. */
export async function listDimensions(db: Db, versionId: string): Promise<FrameworkDimension[]> {
	return db
		.selectFrom('framework_dimension')
		.selectAll()
		.where('version_id', '=', versionId)
		.orderBy('position')
		.execute();
}

/** A version's statements, in framework order (dimension, then statement). */
export async function listStatements(db: Db, versionId: string): Promise<FrameworkStatement[]> {
	return db
		.selectFrom('framework_statement as s')
		.innerJoin('framework_dimension as d', 'd.id', 's.dimension_id')
		.selectAll('s')
		.where('d.version_id', '=', versionId)
		.orderBy('d.position')
		.orderBy('s.position')
		.execute();
}

export async function insertVersion(
	trx: Db,
	version: Insertable<FrameworkVersionTable>,
	dimensions: Insertable<FrameworkDimensionTable>[],
	statements: Insertable<FrameworkStatementTable>[]
): Promise<void> {
	await trx.insertInto('framework_version').values(version).execute();
	if (dimensions.length) await trx.insertInto('framework_dimension').values(dimensions).execute();
	if (statements.length) await trx.insertInto('framework_statement').values(statements).execute();
}
