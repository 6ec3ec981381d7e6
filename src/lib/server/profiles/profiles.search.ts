import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * People in search: only those who chose to say something about themselves on their profile
 * (their bio, or the organisations they belong to), as the sitemap lists them. A profile that
 * shows only a name, a deleted account or a profile whose member hid everything has no
 * document. The document holds only what the profile page shows a visitor: the name, and the
 * bio and pronouns when the member chose to show them (never the email address, which only
 * signed-in members may see, and only when chosen). Organisation names are left out, so an
 * organisation being renamed never has to touch people's documents.
 */
function profileRows(db: Db) {
	return db
		.selectFrom('profile as p')
		.innerJoin('app_user as u', 'u.id', 'p.user_id')
		.select([
			'p.user_id as id',
			'u.name',
			'p.bio',
			'p.pronouns',
			'p.show_bio',
			'p.show_pronouns',
			'p.show_organisations',
			'p.updated_at'
		]);
}

export type ProfileSearchRow = Awaited<
	ReturnType<ReturnType<typeof profileRows>['execute']>
>[number];

export const PROFILE_SEARCH: SearchRegistration<ProfileSearchRow> = {
	kind: 'profile',
	label: 'Person',
	toDocument(row) {
		const bio = row.show_bio === 1 && row.bio?.trim() ? row.bio : null;
		if (!bio && row.show_organisations !== 1) return null;
		const pronouns = row.show_pronouns === 1 && row.pronouns?.trim() ? row.pronouns : null;
		return {
			kind: 'profile',
			docId: row.id,
			title: row.name,
			// Shown as plain text on the profile page.
			body: [pronouns, bio].filter(Boolean).join('\n\n'),
			path: `/people/${row.id}`,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	loadRow(db, id) {
		return profileRows(db).where('p.user_id', '=', id).executeTakeFirst();
	},
	async listForReindex(db, { after, limit }) {
		let q = profileRows(db);
		if (after !== null) q = q.where('p.user_id', '>', after);
		const rows = await q.orderBy('p.user_id').limit(limit).execute();
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/** Makes a member's document follow their profile, in the transaction that changed it. */
export async function refreshProfileSearch(db: Db, userId: string): Promise<void> {
	await refreshSearchDocument(db, PROFILE_SEARCH, userId);
}
