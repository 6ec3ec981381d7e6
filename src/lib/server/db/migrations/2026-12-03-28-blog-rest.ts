import type { Kysely } from 'kysely';
import { types } from './helpers';

// The rest of the blog (issue 12):
//
// - `post.edited_by`: who saved the post as it is now. A curator may edit a member's post, so
//   the author is not always the editor; when the post is edited again, this becomes the
//   earlier version's `post_version.edited_by`. Empty for posts saved before this column
//   (their author wrote them) and once the editor's account is deleted.
// - `post_upload`: images uploaded while writing a post. Such an image belongs to no post until
//   the post is saved with it; the posts worker removes those no post or earlier version shows
//   after a day. Goes with its image.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.alterTable('post')
		.addColumn('edited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('post_edited_by_idx').on('post').column('edited_by').execute();

	await db.schema
		.createTable('post_upload')
		.addColumn('image_id', 'text', (c) => c.primaryKey().references('image.id').onDelete('cascade'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('post_upload_created_idx')
		.on('post_upload')
		.column('created_at')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('post_upload').execute();
	await db.schema.dropIndex('post_edited_by_idx').execute();
	await db.schema.alterTable('post').dropColumn('edited_by').execute();
}
