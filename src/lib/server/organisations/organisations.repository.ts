import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import type {
	NewOrganisation,
	NewOrganisationInvite,
	Organisation,
	OrganisationInvite,
	OrganisationMember,
	OrganisationRole,
	OrganisationUpdate
} from './organisations.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertOrganisation(db: Db, organisation: NewOrganisation): Promise<void> {
	await db.insertInto('organisation').values(organisation).execute();
}

export async function findOrganisationBySlug(
	db: Db,
	slug: string
): Promise<Organisation | undefined> {
	return db.selectFrom('organisation').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findOrganisationById(db: Db, id: string): Promise<Organisation | undefined> {
	return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks an organisation's row until the transaction ends (PostgreSQL), so two admins changing
 * roles at once cannot both remove the last admin. SQLite has one writer, so it needs no lock.
 */
export async function lockOrganisation(trx: Transaction<DB>, id: string): Promise<boolean> {
	const query = trx.selectFrom('organisation').select('id').where('id', '=', id);
	const row = await (isPostgres(trx) ? query.forUpdate() : query).executeTakeFirst();
	return !!row;
}

/** Slugs already taken that start with `base` ("carers-trust", "carers-trust-2", …). */
export async function findSlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('organisation')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

export async function updateOrganisationRow(
	db: Db,
	id: string,
	update: OrganisationUpdate
): Promise<void> {
	await db.updateTable('organisation').set(update).where('id', '=', id).execute();
}

export async function countOrganisations(db: Db): Promise<number> {
	const row = await db
		.selectFrom('organisation')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** One page of organisations, by name. */
export async function listOrganisationsPage(
	db: Db,
	page: { limit: number; offset: number }
): Promise<
	Array<
		Pick<Organisation, 'id' | 'slug' | 'name' | 'description'> & {
			logo_id: string | null;
			logo_widths: string | null;
			logo_width: number | null;
			logo_height: number | null;
		}
	>
> {
	return (
		db
			.selectFrom('organisation as o')
			.leftJoin('image as i', 'i.id', 'o.logo_image_id')
			.select([
				'o.id',
				'o.slug',
				'o.name',
				'o.description',
				'i.id as logo_id',
				'i.widths as logo_widths',
				'i.width as logo_width',
				'i.height as logo_height'
			])
			// The same order on both engines, whatever their collation.
			.orderBy(sql`lower(o.name)`)
			.orderBy('o.id')
			.limit(page.limit)
			.offset(page.offset)
			.execute()
	);
}

export async function findMembership(
	db: Db,
	organisationId: string,
	userId: string
): Promise<OrganisationMember | undefined> {
	return db
		.selectFrom('organisation_member')
		.selectAll()
		.where('organisation_id', '=', organisationId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

export async function insertMember(
	db: Db,
	member: { organisation_id: string; user_id: string; role: OrganisationRole; joined_at: string }
): Promise<void> {
	await db.insertInto('organisation_member').values(member).execute();
}

export async function updateMemberRole(
	db: Db,
	organisationId: string,
	userId: string,
	role: OrganisationRole
): Promise<void> {
	await db
		.updateTable('organisation_member')
		.set({ role })
		.where('organisation_id', '=', organisationId)
		.where('user_id', '=', userId)
		.execute();
}

export async function deleteMember(db: Db, organisationId: string, userId: string): Promise<void> {
	await db
		.deleteFrom('organisation_member')
		.where('organisation_id', '=', organisationId)
		.where('user_id', '=', userId)
		.execute();
}

export async function countAdmins(db: Db, organisationId: string): Promise<number> {
	const row = await db
		.selectFrom('organisation_member')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('organisation_id', '=', organisationId)
		.where('role', '=', 'admin')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export interface MemberWithPerson {
	userId: string;
	name: string;
	email: string;
	role: OrganisationRole;
	joinedAt: string;
}

/** Everyone in the organisation, admins first, then by name (for its admins only). */
export async function listMembersWithPeople(
	db: Db,
	organisationId: string
): Promise<MemberWithPerson[]> {
	return db
		.selectFrom('organisation_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select([
			'm.user_id as userId',
			'u.name as name',
			'u.email as email',
			'm.role as role',
			'm.joined_at as joinedAt'
		])
		.where('m.organisation_id', '=', organisationId)
		.orderBy('m.role')
		.orderBy('u.name')
		.orderBy('u.id')
		.execute();
}

/** Members who chose to show their organisations on their profile, by name. */
export async function listPublicMembers(
	db: Db,
	organisationId: string
): Promise<Array<{ userId: string; name: string; role: OrganisationRole }>> {
	return db
		.selectFrom('organisation_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.innerJoin('profile as p', 'p.user_id', 'm.user_id')
		.select(['m.user_id as userId', 'u.name as name', 'm.role as role'])
		.where('m.organisation_id', '=', organisationId)
		.where('p.show_organisations', '=', 1)
		.orderBy('u.name')
		.orderBy('u.id')
		.execute();
}

export interface PersonsOrganisation {
	id: string;
	slug: string;
	name: string;
	role: OrganisationRole;
}

/** The organisations a person belongs to, by name. */
export async function listOrganisationsOfUser(
	db: Db,
	userId: string
): Promise<PersonsOrganisation[]> {
	return db
		.selectFrom('organisation_member as m')
		.innerJoin('organisation as o', 'o.id', 'm.organisation_id')
		.select(['o.id as id', 'o.slug as slug', 'o.name as name', 'm.role as role'])
		.where('m.user_id', '=', userId)
		.orderBy(sql`lower(o.name)`)
		.orderBy('o.id')
		.execute();
}

export async function insertInvite(db: Db, invite: NewOrganisationInvite): Promise<void> {
	await db.insertInto('organisation_invite').values(invite).execute();
}

export async function findInviteByTokenHash(
	db: Db,
	tokenHash: string
): Promise<OrganisationInvite | undefined> {
	return db
		.selectFrom('organisation_invite')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
}

export async function findInviteById(db: Db, id: string): Promise<OrganisationInvite | undefined> {
	return db.selectFrom('organisation_invite').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Invitations not yet accepted, newest first (expired ones included, marked by the caller). */
export async function listOpenInvites(
	db: Db,
	organisationId: string
): Promise<OrganisationInvite[]> {
	return db
		.selectFrom('organisation_invite')
		.selectAll()
		.where('organisation_id', '=', organisationId)
		.where('accepted_at', 'is', null)
		.orderBy('created_at', 'desc')
		.execute();
}

/** Removes earlier unaccepted invitations to one address (a new one replaces them). */
export async function deleteOpenInvitesTo(
	db: Db,
	organisationId: string,
	email: string
): Promise<void> {
	await db
		.deleteFrom('organisation_invite')
		.where('organisation_id', '=', organisationId)
		.where('email', '=', email)
		.where('accepted_at', 'is', null)
		.execute();
}

export async function deleteInvite(db: Db, id: string): Promise<void> {
	await db.deleteFrom('organisation_invite').where('id', '=', id).execute();
}

/**
 * Marks an invitation used, only if it still is open: returns false when someone else used it
 * first (two clicks at once cannot both succeed).
 */
export async function markInviteAccepted(db: Db, id: string, at: string): Promise<boolean> {
	const result = await db
		.updateTable('organisation_invite')
		.set({ accepted_at: at })
		.where('id', '=', id)
		.where('accepted_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Forgets invitations (and the addresses in them) that expired before `before`. */
export async function deleteInvitesExpiredBefore(db: Db, before: string): Promise<number> {
	const result = await db
		.deleteFrom('organisation_invite')
		.where('expires_at', '<', before)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
