import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { changeContent } from '../cache/content-version';
import type { PilotStatus, PilotVisibility } from './pilots.tables';
import { refreshPilotSearch } from './pilots.search';

interface DemoEntry {
	daysAgo: number;
	tried: string;
	happened: string;
	learned: string;
	nextChange: string;
	authorEmail: string;
}

interface DemoPilot {
	id: string;
	slug: string;
	title: string;
	summary: string;
	status: PilotStatus;
	visibility: PilotVisibility;
	ownerEmail: string;
	teamEmails: string[];
	followerEmails: string[];
	organisationSlug: string | null;
	serviceAreas: string[];
	entries: DemoEntry[];
}

/**
 * A running, public pilot with several dated entries, a team and followers; and a finished one
 * for members, ready to become a case study.
 */
export const DEMO_PILOTS: readonly DemoPilot[] = [
	{
		id: 'demo-pilot-evening-drop-in',
		slug: 'evening-drop-in-for-carers',
		title: 'Evening drop-in for carers',
		summary:
			'Carers who work told us they cannot come to our Tuesday morning group. So we are trying an **evening drop-in** once a fortnight, from 6 to 8, planned with the carers who asked for it.\n\nWe want to know: do working carers come, and what do they need from it?',
		status: 'running',
		visibility: 'public',
		ownerEmail: 'priya@demo.colab.example',
		teamEmails: ['tom@demo.colab.example'],
		followerEmails: ['jo@demo.colab.example', 'sam@demo.colab.example'],
		organisationSlug: 'riverside-carers-centre',
		serviceAreas: ['service-area:carers-and-unpaid-care', 'service-area:adult-social-care'],
		entries: [
			{
				daysAgo: 42,
				tried: 'We asked six working carers what time and place would suit them.',
				happened: 'Everyone said after 6, and somewhere with parking. Two offered to help run it.',
				learned: 'Asking first saved us guessing wrong. The two helpers shaped the whole plan.',
				nextChange: 'Book the library’s community room and tell GP surgeries.',
				authorEmail: 'priya@demo.colab.example'
			},
			{
				daysAgo: 28,
				tried: 'The first evening, with tea and a short welcome.',
				happened: 'Four carers came. One had never been to anything for carers before.',
				learned: 'People wanted to talk to each other more than to hear from us.',
				nextChange: 'Drop the talk; put the chairs in small circles.',
				authorEmail: 'tom@demo.colab.example'
			},
			{
				daysAgo: 14,
				tried: 'Small circles, and a table with leaflets people could take away quietly.',
				happened: 'Nine came. The leaflets about breaks for carers all went.',
				learned: 'Quiet ways to pick up information matter to people who do not want to ask.',
				nextChange: 'Ask the council’s carers’ assessment team to come once, for questions.',
				authorEmail: 'priya@demo.colab.example'
			},
			{
				daysAgo: 2,
				tried: 'A council worker came to answer questions about carers’ assessments.',
				happened:
					'Three carers booked an assessment that evening. Two said they did not know they could.',
				learned: '',
				nextChange: 'Keep the evenings going through the winter and count who comes back.',
				authorEmail: 'tom@demo.colab.example'
			}
		]
	},
	{
		id: 'demo-pilot-peer-support-wards',
		slug: 'peer-supporters-on-the-wards',
		title: 'Peer supporters on the wards',
		summary:
			'People with lived experience of mental health services spent two afternoons a week on two wards, as peer supporters, for three months.',
		status: 'finished',
		visibility: 'members',
		ownerEmail: 'sam@demo.colab.example',
		teamEmails: [],
		followerEmails: ['priya@demo.colab.example'],
		organisationSlug: 'northgate-nhs-foundation-trust',
		serviceAreas: ['service-area:mental-health'],
		entries: [
			{
				daysAgo: 90,
				tried: 'Two peer supporters started on one ward, with a named nurse to go to.',
				happened: 'Staff were unsure what peer supporters were for in the first weeks.',
				learned: 'Staff needed a short session on what peer support is, before it started.',
				nextChange: 'Run a half-hour session at the ward’s handover before the second ward starts.',
				authorEmail: 'sam@demo.colab.example'
			},
			{
				daysAgo: 20,
				tried: 'The second ward, after the handover session.',
				happened: 'Staff asked peer supporters to join ward rounds by the second week.',
				learned: 'Trust came faster when staff knew what to expect.',
				nextChange: 'Write it up as a case study for other wards.',
				authorEmail: 'sam@demo.colab.example'
			}
		]
	}
];

const DAY = 86_400_000;

/** The demo's pilots, their teams, entries and followers (idempotent: a pilot there is left). */
export async function seedPilots(db: Kysely<DB>, now = new Date()): Promise<void> {
	const existing = await db
		.selectFrom('pilot')
		.select('id')
		.select('slug')
		.where((eb) =>
			eb.or([
				eb(
					'id',
					'in',
					DEMO_PILOTS.map((p) => p.id)
				),
				eb(
					'slug',
					'in',
					DEMO_PILOTS.map((p) => p.slug)
				)
			])
		)
		.execute();
	// A pilot already at a demo address (someone's own) is left alone too.
	const have = new Set(existing.flatMap((r) => [r.id, r.slug]));
	const people = new Map(
		(await db.selectFrom('app_user').select(['id', 'email']).execute()).map((u) => [u.email, u.id])
	);
	await changeContent(db, async (trx) => {
		for (const demo of DEMO_PILOTS) {
			const owner = people.get(demo.ownerEmail);
			if (have.has(demo.id) || have.has(demo.slug) || !owner) continue;
			const organisation = demo.organisationSlug
				? await trx
						.selectFrom('organisation')
						.select('id')
						.where('slug', '=', demo.organisationSlug)
						.executeTakeFirst()
				: undefined;
			const oldest = Math.max(...demo.entries.map((e) => e.daysAgo)) + 3;
			const newest = Math.min(...demo.entries.map((e) => e.daysAgo));
			const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
			await trx
				.insertInto('pilot')
				.values({
					id: demo.id,
					slug: demo.slug,
					title: demo.title,
					summary: demo.summary,
					status: demo.status,
					visibility: demo.visibility,
					owner_id: owner,
					organisation_id: organisation?.id ?? null,
					case_study_id: null,
					case_study_slug: null,
					finished_at: demo.status === 'finished' ? at(newest) : null,
					created_at: at(oldest),
					updated_at: at(newest)
				})
				.execute();
			await trx
				.insertInto('pilot_service_area')
				.values(demo.serviceAreas.map((tag_id) => ({ pilot_id: demo.id, tag_id })))
				.execute();
			for (const email of demo.teamEmails) {
				const id = people.get(email);
				if (id)
					await trx
						.insertInto('pilot_member')
						.values({ pilot_id: demo.id, user_id: id, added_by: owner, added_at: at(oldest) })
						.execute();
			}
			for (const email of demo.followerEmails) {
				const id = people.get(email);
				if (id)
					await trx
						.insertInto('pilot_follower')
						.values({ pilot_id: demo.id, user_id: id, created_at: at(oldest - 1) })
						.execute();
			}
			await trx
				.insertInto('pilot_entry')
				.values(
					demo.entries.map((e, i) => ({
						id: `${demo.id}-entry-${i + 1}`,
						pilot_id: demo.id,
						entry_date: at(e.daysAgo).slice(0, 10),
						tried: e.tried,
						happened: e.happened,
						learned: e.learned,
						next_change: e.nextChange,
						author_id: people.get(e.authorEmail) ?? owner,
						edited_by: null,
						created_at: at(e.daysAgo),
						edited_at: null
					}))
				)
				.execute();
			await refreshPilotSearch(trx, demo.id);
		}
	});
}
