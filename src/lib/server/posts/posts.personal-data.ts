import { readConfig } from '../config';
import { deleteImages } from '../uploads/image-store';
import { imageStoreFor } from '../uploads/uploads';
import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { refreshPostSearch } from './posts.search';

// Posts are public contributions: deleting an account keeps them without the author's name
// (author_id null, shown as "a former member") or removes them, as the person chooses.

export const posts: PersonalDataRegistration = {
	feature: 'posts',
	table: 'post',
	personColumns: ['author_id', 'edited_by'],
	kind: 'contribution',
	onDelete:
		'Your blog posts are removed, or kept without your name (shown as from a former member), as you choose. Posts by others that you edited last stay, without your name.',
	exportAs: 'postsYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('post')
			.select([
				'id',
				'slug',
				'title',
				'body',
				'status',
				'organisation_id',
				'event_id',
				'published_at',
				'featured_at',
				'version',
				'created_at',
				'updated_at'
			])
			// Theirs, and others' posts as they last edited them (a curator's edits).
			.where((eb) => eb.or([eb('author_id', '=', person.id), eb('edited_by', '=', person.id)]))
			.orderBy('created_at')
			.execute();
		const themes = rows.length
			? await db
					.selectFrom('post_theme as pt')
					.innerJoin('theme as t', 't.id', 'pt.theme_id')
					.select(['pt.post_id', 't.name'])
					.where(
						'pt.post_id',
						'in',
						rows.map((r) => r.id)
					)
					.execute()
			: [];
		return rows.map((r) => ({
			...r,
			themes: themes.filter((t) => t.post_id === r.id).map((t) => t.name),
			address: `/blog/${r.slug}`
		}));
	},
	async erase(trx, { person, contributions, afterCommit }) {
		// Others' posts they edited stay as they are, without the editor's name.
		await trx
			.updateTable('post')
			.set({ edited_by: null })
			.where('edited_by', '=', person.id)
			.where((eb) => eb.or([eb('author_id', '!=', person.id), eb('author_id', 'is', null)]))
			.execute();
		if (contributions === 'remove') {
			// Their posts' images go with them (no other post may show them).
			const images = await trx
				.selectFrom('post_image as pi')
				.innerJoin('post as p', 'p.id', 'pi.post_id')
				.select('pi.image_id')
				.where('p.author_id', '=', person.id)
				.where((eb) =>
					eb.not(
						eb.exists(
							eb
								.selectFrom('post_image as other')
								.innerJoin('post as op', 'op.id', 'other.post_id')
								.select('other.image_id')
								.whereRef('other.image_id', '=', 'pi.image_id')
								.where((w) =>
									w.or([w('op.author_id', '!=', person.id), w('op.author_id', 'is', null)])
								)
						)
					)
				)
				.execute();
			const removed = await trx
				.selectFrom('post')
				.select('id')
				.where('author_id', '=', person.id)
				.execute();
			const result = await trx
				.deleteFrom('post')
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			// Their posts leave search with them (a kept post's document never named its author).
			for (const { id } of removed) await refreshPostSearch(trx, id);
			afterCommit.push(
				await deleteImages(trx, imageStoreFor(readConfig()), [
					...new Set(images.map((i) => i.image_id))
				])
			);
			return Number(result.numDeletedRows);
		}
		const result = await trx
			.updateTable('post')
			.set({ author_id: null, edited_by: null })
			.where('author_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const postVersions: PersonalDataRegistration = {
	feature: 'posts',
	table: 'post_version',
	personColumns: ['edited_by'],
	kind: 'contribution',
	onDelete: 'Earlier versions of your posts go or stay with the posts, without your name.',
	exportAs: 'earlierVersionsOfYourPosts',
	async export(db, person) {
		return db
			.selectFrom('post_version as v')
			.innerJoin('post as p', 'p.id', 'v.post_id')
			.select(['v.post_id', 'v.version', 'v.title', 'v.body', 'v.created_at'])
			.where((eb) => eb.or([eb('v.edited_by', '=', person.id), eb('p.author_id', '=', person.id)]))
			.orderBy('v.post_id')
			.orderBy('v.version')
			.execute();
	},
	async erase(trx, { person }) {
		// Removed posts take their versions with them (the post registration runs first).
		const result = await trx
			.updateTable('post_version')
			.set({ edited_by: null })
			.where('edited_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const suggestedThemes: PersonalDataRegistration = {
	feature: 'posts',
	table: 'theme',
	personColumns: ['suggested_by'],
	kind: 'contribution',
	onDelete: 'Themes you suggested stay, without your name.',
	exportAs: 'themesYouSuggested',
	async export(db, person) {
		return db
			.selectFrom('theme')
			.select(['name', 'description', 'status', 'created_at'])
			.where('suggested_by', '=', person.id)
			.orderBy('created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('theme')
			.set({ suggested_by: null })
			.where('suggested_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const POSTS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	posts,
	postVersions,
	suggestedThemes
];
