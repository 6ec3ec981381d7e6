import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Events: formats (curators can add more), events with their venue's access information,
// registrations (places, the waitlist and offers of a freed place, access needs), and the
// tools of two formats: Knowledge Café topics with dot votes, and Lightning Talk offers.
//
// `event.places_taken` is the number of places held (confirmed or offered, a companion place
// counting as one more). It is only ever changed inside a transaction that has locked the
// event row, so it always equals the sum over its registrations, and lists can show
// "3 places left" without counting registrations row by row.
/** The formats every instance starts with (curators can add more, and reword these). */
const BUILT_IN_FORMATS = [
	{
		id: 'exchange',
		name: 'Exchange session',
		description: 'A themed session where people share what they do and learn from each other.',
		tools: 'none'
	},
	{
		id: 'knowledge-cafe',
		name: 'Knowledge Café',
		description:
			'The people taking part propose and choose the topics. Conversations run in rounds at small tables, and each table’s insights are written up afterwards.',
		tools: 'cafe'
	},
	{
		id: 'lightning-talks',
		name: 'Lightning Talks',
		description:
			'Short talks of about 5 minutes each. Anyone can offer a talk; the host builds the running order.',
		tools: 'lightning'
	},
	{
		id: 'enquiry',
		name: 'Enquiry session',
		description:
			'A team asks questions and listens, as part of an enquiry or piece of research, and shares what it found.',
		tools: 'none'
	},
	{
		id: 'meet-up',
		name: 'Meet-up',
		description: 'An informal get-together. Anyone can host one.',
		tools: 'none'
	},
	{
		id: 'something-else',
		name: 'Something else',
		description: 'A new kind of activity. Say what it is in the description.',
		tools: 'none'
	}
];

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	const flag = (c: any) => c.notNull().defaultTo(0);

	await db.schema
		.createTable('event_format')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.addColumn('description', 'text', (c) => c.notNull())
		/** none | cafe | lightning: which format's own tools the event page offers. */
		.addColumn('tools', 'text', (c) => c.notNull().defaultTo('none'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('event_format_created_by_idx')
		.on('event_format')
		.column('created_by')
		.execute();
	const now = new Date().toISOString();
	await db
		.insertInto('event_format')
		.values(
			BUILT_IN_FORMATS.map((format, index) => ({ ...format, position: index + 1, created_at: now }))
		)
		.execute();

	await db.schema
		.createTable('event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('format_id', 'text', (c) => c.notNull().references('event_format.id'))
		/** Markdown, sanitised when shown. */
		.addColumn('description', 'text', (c) => c.notNull())
		/** Plain text from the description's start, made when it is saved, for lists and cards. */
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('starts_at', t.timestamp, (c) => c.notNull())
		.addColumn('ends_at', t.timestamp, (c) => c.notNull())
		/** breakfast | daytime | lunch | evening | weekend, from the local start time. */
		.addColumn('time_band', 'text', (c) => c.notNull())
		/** in_person | online | hybrid */
		.addColumn('mode', 'text', (c) => c.notNull())
		.addColumn('venue_name', 'text')
		.addColumn('venue_address', 'text')
		.addColumn('access_notes', 'text')
		.addColumn('access_step_free', 'integer', flag)
		.addColumn('access_hearing_loop', 'integer', flag)
		.addColumn('access_accessible_toilet', 'integer', flag)
		.addColumn('access_quiet_room', 'integer', flag)
		.addColumn('access_parking', 'integer', flag)
		.addColumn('access_public_transport', 'integer', flag)
		/** Shown only to people with a place (and the hosts). */
		.addColumn('online_url', 'text')
		.addColumn('host_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('set null')
		)
		/** Null: no limit. */
		.addColumn('capacity', 'integer')
		/** Places kept for people with lived experience of the service in question. */
		.addColumn('reserved_places', 'integer', flag)
		.addColumn('places_taken', 'integer', flag)
		.addColumn('registration_opens_at', t.timestamp)
		.addColumn('registration_closes_at', t.timestamp)
		/** scheduled | cancelled | completed */
		.addColumn('status', 'text', (c) => c.notNull())
		/** public | unlisted */
		.addColumn('visibility', 'text', (c) => c.notNull())
		/** approved | pending: a member's first event waits for a curator when the setting says so. */
		.addColumn('approval', 'text', (c) => c.notNull())
		.addColumn('approved_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('cancelled_at', t.timestamp)
		.addColumn('cancel_reason', 'text')
		.addColumn('reminder_day_sent_at', t.timestamp)
		.addColumn('reminder_hour_sent_at', t.timestamp)
		// The host's record, afterwards.
		.addColumn('record_summary', 'text')
		.addColumn('record_attendance', 'integer')
		.addColumn('record_outcomes', 'text')
		.addColumn('record_links', 'text')
		.addColumn('recorded_at', t.timestamp)
		// Knowledge Café: dots each person may give, the vote's closing, and how many tables.
		.addColumn('cafe_dots', 'integer', (c) => c.notNull().defaultTo(3))
		.addColumn('cafe_tables', 'integer', (c) => c.notNull().defaultTo(4))
		.addColumn('cafe_rounds', 'integer', (c) => c.notNull().defaultTo(2))
		.addColumn('cafe_vote_closed_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// Listing pages: what is coming up (or has happened) in time order, for everyone to see.
	await db.schema
		.createIndex('event_listed_idx')
		.on('event')
		// ends_at and status too, so counting what is coming up never reads the table.
		.columns(['starts_at', 'id', 'ends_at', 'status'])
		.where(sql.ref('visibility'), '=', 'public')
		.where(sql.ref('approval'), '=', 'approved')
		.execute();
	await db.schema
		.createIndex('event_format_starts_idx')
		.on('event')
		.columns(['format_id', 'starts_at'])
		.execute();
	await db.schema
		.createIndex('event_host_idx')
		.on('event')
		.columns(['host_id', 'starts_at'])
		.execute();
	await db.schema
		.createIndex('event_organisation_idx')
		.on('event')
		.column('organisation_id')
		.execute();
	await db.schema.createIndex('event_approved_by_idx').on('event').column('approved_by').execute();
	// Curators' queue of events waiting for approval. Partial, so that the planner never
	// prefers it to event_listed_idx for the public lists.
	await db.schema
		.createIndex('event_pending_idx')
		.on('event')
		.column('created_at')
		.where(sql.ref('approval'), '=', 'pending')
		.execute();

	await db.schema
		.createTable('event_registration')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		/** A member's registration; null for a visitor's, who gives a name and address instead. */
		.addColumn('user_id', 'text', (c) => c.references('app_user.id').onDelete('cascade'))
		.addColumn('name', 'text')
		/** Lower-cased; visitors only. */
		.addColumn('email', 'text')
		/** unconfirmed | confirmed | waitlisted | offered | cancelled | expired */
		.addColumn('status', 'text', (c) => c.notNull())
		/** 1, or 2 with a companion or carer place. */
		.addColumn('places', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('lived_experience', 'integer', flag)
		.addColumn('need_bsl', 'integer', flag)
		.addColumn('need_step_free', 'integer', flag)
		.addColumn('need_hearing_loop', 'integer', flag)
		.addColumn('need_large_print', 'integer', flag)
		.addColumn('need_dietary', 'integer', flag)
		.addColumn('need_childcare', 'integer', flag)
		.addColumn('need_companion', 'integer', flag)
		.addColumn('need_other', 'integer', flag)
		/** What the host needs to know for dietary, childcare or other needs. */
		.addColumn('need_details', 'text')
		/** When they asked, and their turn in the waitlist (1, 2, 3… per event; set under its lock). */
		.addColumn('queued_at', t.timestamp, (c) => c.notNull())
		.addColumn('queue_number', 'integer')
		.addColumn('offer_expires_at', t.timestamp)
		.addColumn('confirmed_at', t.timestamp)
		.addColumn('cancelled_at', t.timestamp)
		.addColumn('checked_in_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	const active = sql`status in ('unconfirmed', 'confirmed', 'waitlisted', 'offered')`;
	// Registering twice is refused by the database too, whatever races.
	await db.schema
		.createIndex('event_registration_member_once')
		.unique()
		.on('event_registration')
		.columns(['event_id', 'user_id'])
		.where(sql<boolean>`user_id is not null and ${active}`)
		.execute();
	await db.schema
		.createIndex('event_registration_visitor_once')
		.unique()
		.on('event_registration')
		.columns(['event_id', 'email'])
		.where(sql<boolean>`email is not null and ${active}`)
		.execute();
	await db.schema
		.createIndex('event_registration_queue_idx')
		.on('event_registration')
		.columns(['event_id', 'status', 'queue_number'])
		.execute();
	await db.schema
		.createIndex('event_registration_user_idx')
		.on('event_registration')
		.column('user_id')
		.execute();
	await db.schema
		.createIndex('event_registration_email_idx')
		.on('event_registration')
		.column('email')
		.execute();
	await db.schema
		.createIndex('event_registration_offer_idx')
		.on('event_registration')
		.column('offer_expires_at')
		.where(sql.ref('status'), '=', 'offered')
		.execute();

	await db.schema
		.createTable('event_cafe_topic')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('proposed_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text')
		/** Set when the vote closes: the topic became this table. */
		.addColumn('table_number', 'integer')
		.addColumn('table_host_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('harvest', 'text')
		.addColumn('harvest_updated_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('event_cafe_topic_event_idx')
		.on('event_cafe_topic')
		.columns(['event_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('event_cafe_topic_proposed_by_idx')
		.on('event_cafe_topic')
		.column('proposed_by')
		.execute();
	await db.schema
		.createIndex('event_cafe_topic_table_host_idx')
		.on('event_cafe_topic')
		.column('table_host_id')
		.execute();

	await db.schema
		.createTable('event_cafe_dot')
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('topic_id', 'text', (c) =>
			c.notNull().references('event_cafe_topic.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('dots', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('event_cafe_dot_pk', ['topic_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('event_cafe_dot_voter_idx')
		.on('event_cafe_dot')
		.columns(['event_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('event_cafe_dot_user_idx')
		.on('event_cafe_dot')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('event_talk')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('speaker_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull())
		.addColumn('minutes', 'integer', (c) => c.notNull().defaultTo(5))
		/** offered | accepted | declined | withdrawn */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('host_message', 'text')
		/** Place in the running order, for accepted talks. */
		.addColumn('position', 'integer')
		.addColumn('slides_url', 'text')
		.addColumn('video_url', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('event_talk_event_idx')
		.on('event_talk')
		.columns(['event_id', 'status', 'position'])
		.execute();
	await db.schema
		.createIndex('event_talk_speaker_idx')
		.on('event_talk')
		.column('speaker_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'event_talk',
		'event_cafe_dot',
		'event_cafe_topic',
		'event_registration',
		'event',
		'event_format'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
