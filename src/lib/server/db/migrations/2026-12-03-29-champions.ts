import type { Kysely } from 'kysely';
import { types } from './helpers';

// Co-production champions and "ask a champion" (issue 14).
//
// - `champion`: one per member who volunteers. Curators confirm new ones (status 'waiting' →
//   'confirmed'); the champion pauses ('paused': no new requests) or steps down ('stepped-down',
//   also where a curator's "no" leaves an offer). Contact details are private: the phone number
//   here, and the account's email, are shown only on a request where the champion chose to
//   share them.
// - `champion_topic`: what a champion knows, one row each: a library service area or barrier
//   (library_tag ids, kept as text so a retired word stays) or a co-production check dimension
//   (the dimension's stable key, which outlives framework versions).
// - `champion_request`: a member asks a champion. It moves to another champion when suggested,
//   so `champion_id` is whoever holds it now. `waiting_since` is when that champion got it (the
//   7-day flag counts from there). Null champion: the champion left and it went back to the asker.
// - `champion_request_entry`: the request's history and its conversation, oldest first: asked,
//   suggested, accepted, declined, message, contact shared, returned, flagged, closed.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('champion')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) =>
			c.notNull().unique().references('app_user.id').onDelete('cascade')
		)
		/** What they can help with, in their words (plain text). */
		.addColumn('help_with', 'text', (c) => c.notNull())
		.addColumn('available_breakfast', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('available_lunch', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('available_evening', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('available_online', 'integer', (c) => c.notNull().defaultTo(0))
		/** colab | email | phone: how they prefer to be contacted once they share details. */
		.addColumn('contact_preference', 'text', (c) => c.notNull().defaultTo('colab'))
		/** Private: shown only on a request where the champion shared it. */
		.addColumn('phone', 'text')
		/** waiting | confirmed | paused | stepped-down */
		.addColumn('status', 'text', (c) => c.notNull())
		/** A curator's note when they did not confirm the offer. */
		.addColumn('decision_note', 'text')
		.addColumn('decided_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('confirmed_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// /champions: confirmed ones, newest confirmed first, a page at a time; /champions/review.
	await db.schema
		.createIndex('champion_status_idx')
		.on('champion')
		.columns(['status', 'confirmed_at', 'id'])
		.execute();
	await db.schema
		.createIndex('champion_decided_by_idx')
		.on('champion')
		.column('decided_by')
		.execute();

	await db.schema
		.createTable('champion_topic')
		.addColumn('champion_id', 'text', (c) =>
			c.notNull().references('champion.id').onDelete('cascade')
		)
		/** service-area | barrier | dimension */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** A library_tag id, or a dimension key. */
		.addColumn('value', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('champion_topic_pk', ['champion_id', 'kind', 'value'])
		.execute();
	// Filters: champions who know this service area or dimension.
	await db.schema
		.createIndex('champion_topic_value_idx')
		.on('champion_topic')
		.columns(['kind', 'value', 'champion_id'])
		.execute();

	await db.schema
		.createTable('champion_request')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('asker_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('champion_id', 'text', (c) => c.references('champion.id').onDelete('set null'))
		/** A library_tag id (service area), optional. */
		.addColumn('service_area_id', 'text')
		.addColumn('body', 'text', (c) => c.notNull())
		/** open (waiting for the champion) | accepted | declined | returned | closed */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('waiting_since', t.timestamp, (c) => c.notNull())
		/** Set once when unanswered for 7 days and curators were told. */
		.addColumn('flagged_at', t.timestamp)
		/** When the champion chose to share their contact details on this request. */
		.addColumn('contact_shared_at', t.timestamp)
		/** yes | partly | no: whether it helped, said by the asker on closing. */
		.addColumn('outcome', 'text')
		.addColumn('outcome_note', 'text')
		.addColumn('closed_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('champion_request_asker_idx')
		.on('champion_request')
		.columns(['asker_id', 'updated_at'])
		.execute();
	await db.schema
		.createIndex('champion_request_champion_idx')
		.on('champion_request')
		.columns(['champion_id', 'updated_at'])
		.execute();
	// The 7-day flag: open requests by how long they have waited.
	await db.schema
		.createIndex('champion_request_waiting_idx')
		.on('champion_request')
		.columns(['status', 'waiting_since'])
		.execute();
	await db.schema
		.createIndex('champion_request_flagged_idx')
		.on('champion_request')
		.columns(['flagged_at'])
		.execute();

	await db.schema
		.createTable('champion_request_entry')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('request_id', 'text', (c) =>
			c.notNull().references('champion_request.id').onDelete('cascade')
		)
		/** 1, 2, 3… within the request: the order things happened, even within one millisecond. */
		.addColumn('position', 'integer', (c) => c.notNull())
		/** Who did it; null for the system (the 7-day flag) or once they deleted their account. */
		.addColumn('actor_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** asked | suggested | accepted | declined | message | contact-shared | returned | flagged | closed */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** The message or note, when there is one. */
		.addColumn('body', 'text')
		/** For 'suggested': the champion it moved to. */
		.addColumn('champion_id', 'text', (c) => c.references('champion.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('champion_request_entry_request_idx')
		.on('champion_request_entry')
		.columns(['request_id', 'position'])
		.execute();
	await db.schema
		.createIndex('champion_request_entry_actor_idx')
		.on('champion_request_entry')
		.column('actor_id')
		.execute();
	await db.schema
		.createIndex('champion_request_entry_champion_idx')
		.on('champion_request_entry')
		.column('champion_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('champion_request_entry').execute();
	await db.schema.dropTable('champion_request').execute();
	await db.schema.dropTable('champion_topic').execute();
	await db.schema.dropTable('champion').execute();
}
