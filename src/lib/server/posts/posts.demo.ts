import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { changeContent } from '../cache/content-version';
import { nowIso } from '../ids';
import { refreshPostSearch } from './posts.search';
import { countWords } from './posts.writing-hints';

/** The demo's themes, at fixed ids (idempotent). */
export const DEMO_THEMES = [
	{
		id: 'demo-theme-carers',
		slug: 'carers',
		name: 'Carers',
		description: 'Unpaid carers and the people who support them.'
	},
	{
		id: 'demo-theme-health',
		slug: 'health-and-care',
		name: 'Health and care',
		description: 'Services, appointments and getting help.'
	},
	{
		id: 'demo-theme-lived-experience',
		slug: 'lived-experience',
		name: 'Lived experience',
		description: 'What it is like, told by people who know.'
	},
	{
		id: 'demo-theme-working-together',
		slug: 'working-together',
		name: 'Working together',
		description: 'Co-production in practice: what works and what does not.'
	}
] as const;

type ThemeId = (typeof DEMO_THEMES)[number]['id'];

interface DemoPost {
	id: string;
	slug: string;
	authorEmail: string;
	organisationSlug: string | null;
	/** The demo event the post came out of (events.demo's ids are `demo-<key>`). */
	eventId: string | null;
	title: string;
	body: string;
	themes: ThemeId[];
	daysAgo: number;
}

/** One post per demo organisation, by one of its members, and one from a café's harvest. */
export const DEMO_POSTS: readonly DemoPost[] = [
	{
		id: 'demo-post-riverside',
		slug: 'what-carers-told-us-this-winter',
		authorEmail: 'priya@demo.colab.example',
		organisationSlug: 'riverside-carers-centre',
		eventId: null,
		title: 'What carers told us this winter',
		body: 'We asked the carers who come to our Tuesday group what made this winter hard.\n\n## Three things came up again and again\n\n- Not knowing who to call at night\n- Letters that arrive after the appointment\n- Feeling alone once the person they care for is asleep\n\n> “I just want one number that answers.”\n\nWe are taking these to the next network meeting.',
		themes: ['demo-theme-carers', 'demo-theme-lived-experience'],
		daysAgo: 20
	},
	{
		id: 'demo-post-council',
		slug: 'changing-how-we-write-letters',
		authorEmail: 'jo@demo.colab.example',
		organisationSlug: 'adult-social-care-borough-council',
		eventId: null,
		title: 'Changing how we write letters',
		body: 'Carers told us our letters were hard to read. So we sat down with six of them and rewrote the letter about care assessments.\n\n## What we changed\n\n1. The date and time are at the top, in bold.\n2. Every letter says who to call, and when they answer.\n3. We cut it from three pages to one.\n\nTell us what you think of the new letter.',
		themes: ['demo-theme-working-together', 'demo-theme-health'],
		daysAgo: 14
	},
	{
		id: 'demo-post-northgate',
		slug: 'peer-support-on-the-wards',
		authorEmail: 'sam@demo.colab.example',
		organisationSlug: 'northgate-nhs-foundation-trust',
		eventId: null,
		title: 'Peer support on the wards',
		body: 'I have worked as a peer supporter for two years. Here is what a shift looks like.\n\nI listen more than I talk. I share my own story only when it helps. And I always say what I can and cannot keep private.\n\nIf you would like to try peer support, [our volunteering page](https://www.example.org/volunteer) says how to start.',
		themes: ['demo-theme-lived-experience', 'demo-theme-health'],
		daysAgo: 9
	},
	{
		id: 'demo-post-voluntary-action',
		slug: 'a-shared-induction-for-volunteers',
		authorEmail: 'tom@demo.colab.example',
		organisationSlug: 'voluntary-action-borough',
		eventId: null,
		title: 'A shared induction for volunteers',
		body: 'Two teams will test one induction for new volunteers, instead of two.\n\n- One day, not two\n- Run by volunteers who have done the job\n- The same safeguarding training for everyone\n\nWe will write again in the spring with what we learned.',
		themes: ['demo-theme-working-together'],
		daysAgo: 5
	},
	{
		id: 'demo-post-cafe-harvest',
		slug: 'harvest-from-the-transport-cafe',
		authorEmail: 'curator@demo.colab.example',
		organisationSlug: null,
		eventId: 'demo-past-cafe-transport',
		title: 'Harvest from the Knowledge Café on getting to appointments',
		body: 'Twenty-four people spent two rounds at three tables talking about getting to appointments. This is what we harvested.\n\n## The bus table\n\nAppointment letters rarely say which bus goes there. The council’s transport team is now testing a line on every letter.\n\n## The patient transport table\n\nPeople did not know they could ask for it. A leaflet is being written with carers.\n\n## The taxi table\n\nSome people pay for taxis they cannot afford. We will ask the hospital about help with fares.',
		themes: ['demo-theme-health', 'demo-theme-working-together'],
		daysAgo: 40
	}
];

/**
 * The demo's themes and posts (idempotent). A post whose author, organisation or event is not
 * in the database is left out.
 */
export async function seedPosts(db: Kysely<DB>): Promise<void> {
	const existing = await db
		.selectFrom('post')
		.select('id')
		.where(
			'id',
			'in',
			DEMO_POSTS.map((p) => p.id)
		)
		.execute();
	const have = new Set(existing.map((r) => r.id));
	await changeContent(db, async (trx) => {
		const now = nowIso();
		await trx
			.insertInto('theme')
			.values(
				DEMO_THEMES.map((t) => ({
					...t,
					status: 'active' as const,
					suggested_by: null,
					created_at: now
				}))
			)
			.onConflict((oc) => oc.doNothing())
			.execute();
		for (const demo of DEMO_POSTS) {
			if (have.has(demo.id)) continue;
			const author = await trx
				.selectFrom('app_user')
				.select('id')
				.where('email', '=', demo.authorEmail)
				.executeTakeFirst();
			if (!author) continue;
			const organisation = demo.organisationSlug
				? await trx
						.selectFrom('organisation')
						.select('id')
						.where('slug', '=', demo.organisationSlug)
						.executeTakeFirst()
				: undefined;
			const event = demo.eventId
				? await trx
						.selectFrom('event')
						.select('id')
						.where('id', '=', demo.eventId)
						.executeTakeFirst()
				: undefined;
			const at = new Date(Date.now() - demo.daysAgo * 86_400_000).toISOString();
			await trx
				.insertInto('post')
				.values({
					id: demo.id,
					slug: demo.slug,
					author_id: author.id,
					organisation_id: organisation?.id ?? null,
					event_id: event?.id ?? null,
					title: demo.title,
					body: demo.body,
					word_count: countWords(demo.body),
					first_image_id: null,
					status: 'published',
					published_at: at,
					featured_at: demo.eventId ? at : null,
					comments_closed: 0,
					hidden_at: null,
					version: 1,
					created_at: at,
					updated_at: at
				})
				.execute();
			await trx
				.insertInto('post_theme')
				.values(demo.themes.map((theme_id) => ({ post_id: demo.id, theme_id })))
				.execute();
			await refreshPostSearch(trx, demo.id);
		}
	});
}
