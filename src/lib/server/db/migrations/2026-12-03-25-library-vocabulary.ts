import type { Kysely } from 'kysely';
import { types } from './helpers';

// The library's shared words (issue 14): the service areas a case study, pilot or champion
// belongs to, and the benefit and barrier themes people tag them with. Case studies, pilots and
// champions all choose from this one list, so a filter on /library and one on /champions mean
// the same thing. Curators extend it (status 'active') and retire words no longer offered
// ('retired': what was tagged keeps the word; nobody new can choose it).
//
// The benefit and barrier themes are the ones the borough's interviews found (domain.md). The
// service areas are a starting list an instance's curators change to suit their own services.
// Ids are fixed ('<kind>:<slug>') so this data reads the same on both engines and in tests.

const SERVICE_AREAS = [
	'Adult social care',
	'Children and families',
	'Mental health',
	'Learning disability and autism',
	'Carers and unpaid care',
	'GPs and primary care',
	'Hospitals and community health',
	'Public health and wellbeing',
	'Housing and homelessness',
	'Money, work and skills',
	'Community and voluntary sector',
	'Older people'
];

const BENEFITS = [
	'Better and more efficient services',
	'Services people actually want',
	'A voice for people',
	'Equality and trust',
	'Active involvement in one’s own care',
	'Less dependency on services',
	'Fewer inappropriate referrals',
	'Cost savings and better outcomes',
	'Empowerment',
	'Meaningful feedback',
	'Tailoring to real needs',
	'More choice and control',
	'Sharing skills and knowledge',
	'Shared power',
	'Shared targets',
	'Mutual benefit',
	'Stronger partnerships',
	'Systems tested hard',
	'Making a difference'
];

const BARRIERS = [
	'Routines',
	'No permission from leaders',
	'Organisational culture',
	'Systems and processes',
	'Power imbalances',
	'Decision-making processes',
	'Time',
	'Unwillingness to get involved',
	'Lack of interest or motivation',
	'Lack of skills and awareness',
	'Leaving comfort zones',
	'Lack of capacity',
	'Aversion to risk',
	'Poor information sharing',
	'“What is in it for us”',
	'Short-term funding',
	'Shrinking resources',
	'Mandatory requirements',
	'Burden on unpaid people',
	'Systems built for aggregate need rather than the individual',
	'Forums not fit for purpose'
];

function slugOf(label: string): string {
	return label
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[’'“”"]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('library_tag')
		.addColumn('id', 'text', (c) => c.primaryKey())
		/** service-area | benefit | barrier */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** For addresses: /library?benefit=shared-power. Kept when the label is reworded. */
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		/** active | retired */
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
		/** The order lists show; new words go last. */
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addUniqueConstraint('library_tag_kind_slug_unique', ['kind', 'slug'])
		.execute();
	await db.schema
		.createIndex('library_tag_kind_idx')
		.on('library_tag')
		.columns(['kind', 'status', 'position'])
		.execute();

	const createdAt = new Date().toISOString();
	const rows = (
		[
			['service-area', SERVICE_AREAS],
			['benefit', BENEFITS],
			['barrier', BARRIERS]
		] as const
	).flatMap(([kind, labels]) =>
		labels.map((label, position) => ({
			id: `${kind}:${slugOf(label)}`,
			kind,
			slug: slugOf(label),
			label,
			status: 'active',
			position,
			created_at: createdAt
		}))
	);
	await db.insertInto('library_tag').values(rows).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('library_tag').execute();
}
