import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewPostVideo, PostVideo, PostVideoTable } from './videos.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** The post a video page is about, by its address. */
export async function findPostBySlug(db: Db, slug: string) {
	return db
		.selectFrom('post')
		.select(['id', 'slug', 'title', 'author_id', 'status'])
		.where('slug', '=', slug)
		.executeTakeFirst();
}

export async function findVideoByPost(db: Db, postId: string): Promise<PostVideo | undefined> {
	return db.selectFrom('post_video').selectAll().where('post_id', '=', postId).executeTakeFirst();
}

export async function insertVideo(db: Db, video: NewPostVideo): Promise<void> {
	await db.insertInto('post_video').values(video).execute();
}

export async function updateVideo(
	db: Db,
	id: string,
	changes: Partial<Omit<PostVideoTable, 'id' | 'post_id' | 'created_at'>>
): Promise<void> {
	await db.updateTable('post_video').set(changes).where('id', '=', id).execute();
}

export async function deleteVideo(db: Db, id: string): Promise<void> {
	await db.deleteFrom('post_video').where('id', '=', id).execute();
}

/** An uploaded file's type, for serving it (undefined when no video has that file). */
export async function findVideoFile(db: Db, fileId: string) {
	return db
		.selectFrom('post_video')
		.select(['file_id', 'content_type', 'byte_length'])
		.where('file_id', '=', fileId)
		.executeTakeFirst();
}

export async function findCaptions(db: Db, captionsId: string) {
	return db
		.selectFrom('post_video')
		.select(['captions'])
		.where('captions_id', '=', captionsId)
		.executeTakeFirst();
}

/** The uploaded files of these posts' videos (to remove once the posts are gone). */
export async function videoFilesOfPosts(db: Db, postIds: readonly string[]) {
	if (!postIds.length) return [];
	return db
		.selectFrom('post_video')
		.select(['file_id', 'content_type'])
		.where('post_id', 'in', postIds)
		.where('file_id', 'is not', null)
		.execute();
}
