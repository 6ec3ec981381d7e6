import type { Kysely } from 'kysely';
import { types } from './helpers';

// Pictures (issue 11): event covers, organisation logos and people's avatars. An uploaded
// picture is an `image` (its size and the widths it was made in) with one `image_variant` per
// width. Where the bytes live is a setting: in `image_variant.data` (every instance can read
// them), or, when UPLOADS_DIR is set, in files there (data is null). An image's id is new for
// every upload and its bytes never change, so its addresses can be cached for ever.
//
// Each owner points at its picture; deleting the image (when replaced or removed) empties the
// pointer, and deleting the owner leaves the image to be removed by the code that deleted it.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	const bytes = t.postgres ? 'bytea' : 'blob';

	await db.schema
		.createTable('image')
		.addColumn('id', 'text', (c) => c.primaryKey())
		/** The largest variant's size, after turning the picture the right way up. */
		.addColumn('width', 'integer', (c) => c.notNull())
		.addColumn('height', 'integer', (c) => c.notNull())
		/** The widths it was made in, smallest first: "320,640,1280". */
		.addColumn('widths', 'text', (c) => c.notNull())
		/** database | folder */
		.addColumn('storage', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('image_variant')
		.addColumn('image_id', 'text', (c) => c.notNull().references('image.id').onDelete('cascade'))
		.addColumn('width', 'integer', (c) => c.notNull())
		.addColumn('height', 'integer', (c) => c.notNull())
		.addColumn('content_type', 'text', (c) => c.notNull())
		.addColumn('byte_length', 'integer', (c) => c.notNull())
		/** The bytes, or null when they are in the uploads folder. */
		.addColumn('data', bytes)
		.addPrimaryKeyConstraint('image_variant_pk', ['image_id', 'width'])
		.execute();

	await db.schema
		.alterTable('event')
		.addColumn('cover_image_id', 'text', (c) => c.references('image.id').onDelete('set null'))
		.execute();
	await db.schema.alterTable('event').addColumn('cover_alt', 'text').execute();
	await db.schema
		.alterTable('organisation')
		.addColumn('logo_image_id', 'text', (c) => c.references('image.id').onDelete('set null'))
		.execute();
	await db.schema
		.alterTable('profile')
		.addColumn('avatar_image_id', 'text', (c) => c.references('image.id').onDelete('set null'))
		.execute();
	// Deleting an image looks for what points at it.
	for (const [table, column] of [
		['event', 'cover_image_id'],
		['organisation', 'logo_image_id'],
		['profile', 'avatar_image_id']
	] as const) {
		await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const [table, column] of [
		['event', 'cover_image_id'],
		['organisation', 'logo_image_id'],
		['profile', 'avatar_image_id']
	] as const) {
		await db.schema.dropIndex(`${table}_${column}_idx`).execute();
		await db.schema.alterTable(table).dropColumn(column).execute();
	}
	await db.schema.alterTable('event').dropColumn('cover_alt').execute();
	await db.schema.dropTable('image_variant').execute();
	await db.schema.dropTable('image').execute();
}
