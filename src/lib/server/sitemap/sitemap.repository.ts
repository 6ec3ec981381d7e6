import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Public pages for the sitemap, each read a batch at a time by id (keyset), so a large site
 * never loads every row at once. Kysely queries only.
 */

/** Events anyone can find: public and approved (cancelled ones still have a page). */
export async function listPublicEventLinks(db: Kysely<DB>, afterId: string | null, limit: number) {
	let q = db
		.selectFrom('event')
		.where('visibility', '=', 'public')
		.where('approval', '=', 'approved')
		.select(['id', 'updated_at']);
	if (afterId !== null) q = q.where('id', '>', afterId);
	return q.orderBy('id').limit(limit).execute();
}

export async function listOrganisationLinks(db: Kysely<DB>, afterId: string | null, limit: number) {
	let q = db.selectFrom('organisation').select(['id', 'slug', 'updated_at']);
	if (afterId !== null) q = q.where('id', '>', afterId);
	return q.orderBy('id').limit(limit).execute();
}

/**
 * People who chose to say something about themselves on their profile (their bio, or the
 * organisations they belong to). A profile that shows only a name is left out: it tells a
 * search engine nothing the person chose to share.
 */
export async function listPublicProfileLinks(
	db: Kysely<DB>,
	afterId: string | null,
	limit: number
) {
	let q = db
		.selectFrom('profile as pr')
		.innerJoin('app_user as u', 'u.id', 'pr.user_id')
		.where((eb) =>
			eb.or([
				eb.and([eb('pr.show_bio', '=', 1), eb('pr.bio', 'is not', null), eb('pr.bio', '!=', '')]),
				eb('pr.show_organisations', '=', 1)
			])
		)
		.select(['pr.user_id as id', 'pr.updated_at']);
	if (afterId !== null) q = q.where('pr.user_id', '>', afterId);
	return q.orderBy('pr.user_id').limit(limit).execute();
}
