import type { Kysely } from 'kysely';

// Each event format gets a colour and an icon of its own (issue 11), chosen by curators from a
// fixed palette and a fixed set of icons (src/lib/events/format-looks.ts). They are always shown
// beside the format's name, never instead of it. New formats start grey with a calendar.
//
// Frozen: the built-in formats' looks as they were on the day this landed. A format a curator
// has renamed keeps its id, so it gets its look too; formats added since start as new ones do.
const BUILT_IN_LOOKS = [
	{ id: 'exchange', colour: 'blue', icon: 'chat' },
	{ id: 'knowledge-cafe', colour: 'brown', icon: 'cup' },
	{ id: 'lightning-talks', colour: 'orange', icon: 'bolt' },
	{ id: 'enquiry', colour: 'teal', icon: 'search' },
	{ id: 'meet-up', colour: 'green', icon: 'people' },
	{ id: 'something-else', colour: 'purple', icon: 'star' }
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('event_format')
		.addColumn('colour', 'text', (c) => c.notNull().defaultTo('slate'))
		.execute();
	await db.schema
		.alterTable('event_format')
		.addColumn('icon', 'text', (c) => c.notNull().defaultTo('calendar'))
		.execute();
	for (const look of BUILT_IN_LOOKS) {
		await db
			.updateTable('event_format')
			.set({ colour: look.colour, icon: look.icon })
			.where('id', '=', look.id)
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('event_format').dropColumn('icon').execute();
	await db.schema.alterTable('event_format').dropColumn('colour').execute();
}
