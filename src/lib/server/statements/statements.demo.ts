import type { Kysely, Transaction } from 'kysely';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { refreshSearchDocument } from '../search/search.repository';
import { STATEMENT_SEARCH } from './statements.search';
import { STATEMENT_SLUG } from './statements.service';
import type { AmendmentKind, AmendmentStatus } from './statements.tables';

const DAY = 86_400_000;

/** The demo statement's fixed ids, so pages and journeys can link to them. */
export const DEMO_STATEMENT_ID = 'demo-statement';
export const DEMO_OPEN_AMENDMENT_ID = 'demo-statement-amendment-open';
export const DEMO_CLAUSE_ID = 'demo-clause-vision-1';

const S = {
	vision: 'demo-section-vision',
	values: 'demo-section-values',
	how: 'demo-section-how'
};

type Clause = { id: string; body: string };
type Version = {
	daysAgo: number;
	note: string;
	madeBy: string;
	sections: Record<string, Clause[]>;
};

const HEADINGS: Record<string, string> = {
	[S.vision]: 'Our vision',
	[S.values]: 'What we value',
	[S.how]: 'How we will work together'
};

const v1: Record<string, Clause[]> = {
	[S.vision]: [
		{
			id: DEMO_CLAUSE_ID,
			body: 'People who use services, carers, volunteers and staff design services together, rather than services being designed for people.'
		},
		{
			id: 'demo-clause-vision-2',
			body: 'Everyone’s knowledge counts: lived experience, learned experience and professional experience.'
		}
	],
	[S.values]: [
		{
			id: 'demo-clause-values-1',
			body: 'Assets: every person has something to contribute, and we use it in real exchanges.'
		},
		{
			id: 'demo-clause-values-2',
			body: 'Reciprocity: we need each other, so help goes both ways.'
		},
		{
			id: 'demo-clause-values-3',
			body: 'Social capital: networks of trust are part of the infrastructure of our borough.'
		}
	],
	[S.how]: [
		{
			id: 'demo-clause-how-1',
			body: 'We involve the key people from the start, not once the plans are made.'
		},
		{
			id: 'demo-clause-how-2',
			body: 'We agree our values and what each of us gets from taking part at the start.'
		},
		{
			id: 'demo-clause-how-3',
			body: 'We reach decisions by a clearly defined process that everyone understands.'
		}
	]
};

const v2: Record<string, Clause[]> = {
	...v1,
	[S.values]: [
		...v1[S.values]!,
		{
			id: 'demo-clause-values-4',
			body: 'Redefining work: we recognise and reward the unpaid work that families and communities do.'
		}
	]
};

const v3: Record<string, Clause[]> = {
	...v2,
	[S.vision]: [
		{
			id: DEMO_CLAUSE_ID,
			body: 'People who use services, carers, volunteers and staff plan and deliver services together, sharing power and sometimes budgets, rather than services being done to people.'
		},
		v2[S.vision]![1]!
	],
	[S.how]: [
		...v2[S.how]!,
		{
			id: 'demo-clause-how-4',
			body: 'We say what changed because of what people told us: you said, we did.'
		}
	]
};

const VERSIONS: Version[] = [
	{
		daysAgo: 60,
		note: 'The first draft, from the network’s first report.',
		madeBy: 'curator@demo.colab.example',
		sections: v1
	},
	{
		daysAgo: 35,
		note: 'Agreed at the October network meeting.',
		madeBy: 'curator@demo.colab.example',
		sections: v2
	},
	{
		daysAgo: 10,
		note: 'Agreed at the November network meeting.',
		madeBy: 'curator@demo.colab.example',
		sections: v3
	}
];

interface DemoAmendment {
	id: string;
	version: number;
	kind: AmendmentKind;
	clauseId: string | null;
	section: string;
	original: string;
	text: string;
	reason: string;
	author: string;
	status: AmendmentStatus;
	applied: number | null;
	daysAgo: number;
	supporters: string[];
	comments: { author: string; body: string }[];
}

const AMENDMENTS: DemoAmendment[] = [
	{
		id: 'demo-statement-amendment-unpaid-work',
		version: 1,
		kind: 'add',
		clauseId: 'demo-clause-values-3',
		section: S.values,
		original: '',
		text: v2[S.values]![3]!.body,
		reason: 'Carers give hours of unpaid work every week. The statement should say we value it.',
		author: 'priya@demo.colab.example',
		status: 'agreed',
		applied: 2,
		daysAgo: 45,
		supporters: ['tom@demo.colab.example', 'sam@demo.colab.example'],
		comments: []
	},
	{
		id: 'demo-statement-amendment-deliver',
		version: 2,
		kind: 'change',
		clauseId: DEMO_CLAUSE_ID,
		section: S.vision,
		original: v1[S.vision]![0]!.body,
		text: v3[S.vision]![0]!.body,
		reason:
			'Co-production is **planned and delivered** together, with power shared. Designing together alone is co-design.',
		author: 'sam@demo.colab.example',
		status: 'agreed',
		applied: 3,
		daysAgo: 25,
		supporters: ['priya@demo.colab.example', 'jo@demo.colab.example'],
		comments: [
			{
				author: 'jo@demo.colab.example',
				body: 'Agreed. The council can commit to sharing budgets on some projects.'
			}
		]
	},
	{
		id: 'demo-statement-amendment-you-said',
		version: 2,
		kind: 'add',
		clauseId: 'demo-clause-how-3',
		section: S.how,
		original: '',
		text: v3[S.how]![3]!.body,
		reason: 'People stop taking part when they never hear what happened.',
		author: 'tom@demo.colab.example',
		status: 'agreed',
		applied: 3,
		daysAgo: 20,
		supporters: ['sam@demo.colab.example'],
		comments: []
	},
	{
		id: DEMO_OPEN_AMENDMENT_ID,
		version: 3,
		kind: 'change',
		clauseId: 'demo-clause-how-1',
		section: S.how,
		original: v3[S.how]![0]!.body,
		text: 'We involve the key people from the start, not once the plans are made, and we pay people for their time and expertise.',
		reason:
			'Taking part costs people time, travel and childcare. Paying people is part of sharing power.',
		author: 'priya@demo.colab.example',
		status: 'open',
		applied: null,
		daysAgo: 4,
		supporters: ['sam@demo.colab.example', 'tom@demo.colab.example', 'jo@demo.colab.example'],
		comments: [
			{
				author: 'jo@demo.colab.example',
				body: 'We would need to agree rates across organisations. *Worth it*, I think.'
			},
			{
				author: 'sam@demo.colab.example',
				body: 'Yes, please. Vouchers are not the same as being paid.'
			}
		]
	}
];

/** Endorsements: organisations (by slug) and people, with the version each endorsed. */
const ENDORSEMENTS: {
	organisation: string | null;
	signer: string;
	version: number;
	note: string;
}[] = [
	{
		organisation: 'voluntary-action-borough',
		signer: 'curator@demo.colab.example',
		version: 3,
		note: 'We host the network and stand behind every word.'
	},
	{
		organisation: 'riverside-carers-centre',
		signer: 'priya@demo.colab.example',
		version: 3,
		note: ''
	},
	{
		organisation: 'adult-social-care-borough-council',
		signer: 'jo@demo.colab.example',
		version: 2,
		note: 'Endorsed by the council’s co-production board.'
	},
	{ organisation: null, signer: 'tom@demo.colab.example', version: 3, note: '' },
	{ organisation: null, signer: 'sam@demo.colab.example', version: 1, note: '' }
];

async function snapshot(
	trx: Transaction<DB>,
	versionId: string,
	sections: Record<string, Clause[]>
) {
	const order = [S.vision, S.values, S.how];
	await trx
		.insertInto('statement_section')
		.values(
			order.map((id, i) => ({
				version_id: versionId,
				section_id: id,
				position: i + 1,
				heading: HEADINGS[id]!
			}))
		)
		.execute();
	await trx
		.insertInto('statement_clause')
		.values(
			order.flatMap((id) =>
				sections[id]!.map((c, i) => ({
					version_id: versionId,
					clause_id: c.id,
					section_id: id,
					position: i + 1,
					body: c.body
				}))
			)
		)
		.execute();
}

/**
 * The demo statement in its third version: two agreed amendments made versions 2 and 3, one
 * amendment is open with support and comments, and the demo organisations have endorsed it
 * (the council an earlier version, so it is invited to endorse the latest). Idempotent: a
 * statement already at /statement is left alone.
 */
export async function seedStatements(db: Kysely<DB>, now = new Date()): Promise<void> {
	if (
		await db
			.selectFrom('statement')
			.select('id')
			.where('slug', '=', STATEMENT_SLUG)
			.executeTakeFirst()
	)
		return;
	const people = new Map(
		(await db.selectFrom('app_user').select(['id', 'email']).execute()).map((u) => [u.email, u.id])
	);
	const organisations = new Map(
		(await db.selectFrom('organisation').select(['id', 'slug']).execute()).map((o) => [
			o.slug,
			o.id
		])
	);
	const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
	const versionId = (n: number) => `demo-statement-v${n}`;
	await changeContent(db, async (trx) => {
		await trx
			.insertInto('statement')
			.values({
				id: DEMO_STATEMENT_ID,
				slug: STATEMENT_SLUG,
				title: 'Our shared statement on co-production',
				current_version: VERSIONS.length,
				created_by: people.get('curator@demo.colab.example') ?? null,
				created_at: at(VERSIONS[0]!.daysAgo),
				updated_at: at(VERSIONS.at(-1)!.daysAgo)
			})
			.execute();
		for (const [i, v] of VERSIONS.entries()) {
			await trx
				.insertInto('statement_version')
				.values({
					id: versionId(i + 1),
					statement_id: DEMO_STATEMENT_ID,
					number: i + 1,
					note: v.note,
					made_by: people.get(v.madeBy) ?? null,
					decision_id: null,
					created_at: at(v.daysAgo)
				})
				.execute();
			await snapshot(trx, versionId(i + 1), v.sections);
		}
		for (const a of AMENDMENTS) {
			await trx
				.insertInto('statement_amendment')
				.values({
					id: a.id,
					statement_id: DEMO_STATEMENT_ID,
					version_id: versionId(a.version),
					kind: a.kind,
					clause_id: a.clauseId,
					section_id: a.section,
					original_text: a.original,
					new_text: a.text,
					reason: a.reason,
					author_id: people.get(a.author) ?? null,
					status: a.status,
					decided_by: a.applied ? (people.get('curator@demo.colab.example') ?? null) : null,
					decided_at: a.applied ? at(VERSIONS[a.applied - 1]!.daysAgo) : null,
					decision_note: a.applied ? VERSIONS[a.applied - 1]!.note : null,
					decision_id: null,
					applied_version_id: a.applied ? versionId(a.applied) : null,
					created_at: at(a.daysAgo),
					updated_at: at(a.applied ? VERSIONS[a.applied - 1]!.daysAgo : a.daysAgo)
				})
				.execute();
			for (const [j, email] of a.supporters.entries()) {
				const id = people.get(email);
				if (id)
					await trx
						.insertInto('statement_amendment_support')
						.values({ amendment_id: a.id, user_id: id, created_at: at(a.daysAgo - 1 - j * 0.1) })
						.execute();
			}
			for (const [j, c] of a.comments.entries())
				await trx
					.insertInto('statement_amendment_comment')
					.values({
						id: `${a.id}-comment-${j + 1}`,
						amendment_id: a.id,
						author_id: people.get(c.author) ?? null,
						body: c.body,
						created_at: at(a.daysAgo - 1 - j * 0.2),
						edited_at: null
					})
					.execute();
		}
		for (const [i, e] of ENDORSEMENTS.entries()) {
			const signer = people.get(e.signer);
			const organisationId = e.organisation ? organisations.get(e.organisation) : null;
			if (!signer || organisationId === undefined) continue;
			await trx
				.insertInto('statement_endorsement')
				.values({
					id: `demo-statement-endorsement-${i + 1}`,
					statement_id: DEMO_STATEMENT_ID,
					version_id: versionId(e.version),
					organisation_id: organisationId,
					endorser_key: organisationId ? `org:${organisationId}` : `person:${signer}`,
					signed_by: signer,
					note: e.note,
					created_at: at(VERSIONS[e.version - 1]!.daysAgo - 2)
				})
				.execute();
		}
		await refreshSearchDocument(trx, STATEMENT_SEARCH, DEMO_STATEMENT_ID);
	});
}
