import type { Kysely } from 'kysely';
import { types } from './helpers';

// The blog (issue 12): posts written in Markdown by members, on their own behalf or an
// organisation's, filed under themes that curators keep.
//
// - A post's status is draft | waiting (for a curator, while its author is new) | published |
//   unpublished | declined. A scheduled post is `published` with `published_at` in the future:
//   listings show only what is published and due, so no job has to flip it.
// - Every saved edit of a published post adds a `post_version` row, so authors and curators
//   can see the history and what changed.
// - `hidden_at` is set by moderation (reports at a threshold, or a curator), apart from status,
//   so restoring a post gives back exactly what its author had.
// - Deleting an account keeps or removes their posts, as they choose: `author_id` may be null
//   ("a former member").
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('theme')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('description', 'text')
		/** active | suggested (by a member, waiting for a curator) | declined | retired */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('suggested_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('post')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('set null')
		)
		/** The event the post came out of (a café's harvest, a talk), if any. */
		.addColumn('event_id', 'text', (c) => c.references('event.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		/** Markdown, sanitised when rendered. */
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
		/** The first image in the body, for cards and Open Graph. */
		.addColumn('first_image_id', 'text', (c) => c.references('image.id').onDelete('set null'))
		.addColumn('status', 'text', (c) => c.notNull())
		/** When it went (or goes) public; in the future for a scheduled post. */
		.addColumn('published_at', t.timestamp)
		.addColumn('featured_at', t.timestamp)
		.addColumn('comments_closed', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('hidden_at', t.timestamp)
		/** The current version's number; earlier ones are in post_version. */
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// /blog: published, newest first, and by author or organisation.
	await db.schema
		.createIndex('post_status_published_idx')
		.on('post')
		.columns(['status', 'published_at', 'id'])
		.execute();
	await db.schema
		.createIndex('post_author_idx')
		.on('post')
		.columns(['author_id', 'published_at'])
		.execute();
	await db.schema
		.createIndex('post_organisation_idx')
		.on('post')
		.columns(['organisation_id', 'published_at'])
		.execute();
	await db.schema.createIndex('post_event_idx').on('post').column('event_id').execute();
	await db.schema.createIndex('post_first_image_idx').on('post').column('first_image_id').execute();

	await db.schema
		.createTable('post_theme')
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('theme_id', 'text', (c) => c.notNull().references('theme.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('post_theme_pk', ['post_id', 'theme_id'])
		.execute();
	await db.schema
		.createIndex('post_theme_theme_idx')
		.on('post_theme')
		.columns(['theme_id', 'post_id'])
		.execute();

	await db.schema
		.createTable('post_version')
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('edited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('post_version_pk', ['post_id', 'version'])
		.execute();

	/** Images a post's body uses, so they go when the post goes. */
	await db.schema
		.createTable('post_image')
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('image_id', 'text', (c) => c.notNull().references('image.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('post_image_pk', ['post_id', 'image_id'])
		.execute();
	await db.schema.createIndex('post_image_image_idx').on('post_image').column('image_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('post_image').execute();
	await db.schema.dropTable('post_version').execute();
	await db.schema.dropTable('post_theme').execute();
	await db.schema.dropTable('post').execute();
	await db.schema.dropTable('theme').execute();
}
