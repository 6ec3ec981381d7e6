import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { startColab, type RunningServer } from './support/server';
import {
	insertTestEnquiry,
	insertTestInterview,
	insertTestParticipant
} from '../src/lib/server/enquiries/enquiries.testing';

// A sweep of every page in the app, as the demo administrator sees it (and, for the sign-in
// pages, as a visitor), each checked with axe-core. A new page must be added to PAGES: the
// first test fails when a route file has no entry, so no page escapes the check.

interface Ids {
	organisation: string;
	person: string;
	event: string;
	/** A published post: the one with the demo video and comments, when the demo has posts. */
	post: string;
}

/** Every route, with a real address to visit (bad tokens show the pages' own error states). */
const PAGES: Record<string, (ids: Ids) => string> = {
	'/': () => '/',
	'/accessibility': () => '/accessibility',
	'/privacy': () => '/privacy',
	// Results for a word the demo holds, so the sweep sees results, snippets and filters.
	'/search': () => '/search?q=garden',
	'/design': () => '/design',
	'/account': () => '/account',
	'/account/data': () => '/account/data',
	'/account/data/delete': () => '/account/data/delete',
	'/account/email': () => '/account/email',
	'/account/password': () => '/account/password',
	'/account/profile': () => '/account/profile',
	'/account/sessions': () => '/account/sessions',
	'/account/updates': () => '/account/updates',
	'/account/notifications': () => '/account/notifications',
	'/notifications': () => '/notifications',
	'/account-deleted': () => '/account-deleted',
	'/me': () => '/me',
	'/me/[section]': () => '/me/places',
	'/admin': () => '/admin',
	'/admin/audit': () => '/admin/audit',
	'/admin/mail': () => '/admin/mail',
	'/admin/people': () => '/admin/people',
	'/admin/people/[id]': (ids) => `/admin/people/${ids.person}`,
	'/admin/settings': () => '/admin/settings',
	'/admin/updates': () => '/admin/updates',
	'/organisations': () => '/organisations',
	'/organisations/new': () => '/organisations/new',
	'/organisations/[slug]': (ids) => `/organisations/${ids.organisation}`,
	'/organisations/[slug]/edit': (ids) => `/organisations/${ids.organisation}/edit`,
	'/organisations/[slug]/members': (ids) => `/organisations/${ids.organisation}/members`,
	'/organisations/invites/[token]': () => '/organisations/invites/not-a-real-invitation',
	'/people/[id]': (ids) => `/people/${ids.person}`,
	'/assessments': () => '/assessments',
	'/assessments/check': () => '/assessments/check',
	'/assessments/check/saved/[id]': () => '/assessments/check/saved/not-a-real-check',
	'/assessments/new': () => '/assessments/new',
	'/assessments/framework': () => '/assessments/framework',
	// The demo's check of a day centre: two rounds, the second open, with a perception gap.
	'/assessments/[id]': () => '/assessments/demo-assessment-day-centre',
	'/assessments/[id]/results': () => '/assessments/demo-assessment-day-centre/results',
	'/assessments/answer/[code]': () => '/assessments/answer/demo-day-centre',
	'/assessments/answer/invitation/[token]': () =>
		'/assessments/answer/invitation/not-a-real-invitation',
	'/assessments/respond/[key]': () => '/assessments/respond/not-a-real-code',
	'/assessments/owners/[token]': () => '/assessments/owners/not-a-real-invitation',
	'/blog/[slug]/video': (ids) => `/blog/${ids.post}/video`,
	'/events': () => '/events',
	'/events/past': () => '/events/past',
	'/events/calendar': () => '/events/calendar',
	'/events/new': () => '/events/new',
	'/events/approvals': () => '/events/approvals',
	'/events/formats': () => '/events/formats',
	'/events/[id]': (ids) => `/events/${ids.event}`,
	'/events/[id]/edit': (ids) => `/events/${ids.event}/edit`,
	'/events/[id]/cancel': (ids) => `/events/${ids.event}/cancel`,
	'/events/[id]/message': (ids) => `/events/${ids.event}/message`,
	'/events/[id]/attendees': (ids) => `/events/${ids.event}/attendees`,
	'/events/places/[token]': () => '/events/places/not-a-real.link',
	'/events/[id]/cafe': () => '/events/demo-cafe-loneliness/cafe',
	'/events/[id]/talks': () => '/events/demo-lightning-ideas/talks',
	'/events/[id]/record': () => '/events/demo-past-exchange-peer-support/record',
	'/events/[id]/check-email': (ids) => `/events/${ids.event}/check-email`,
	'/blog/[slug]/comments': (ids) => `/blog/${ids.post}/comments`,
	// The demo's comment waiting in the moderation queue.
	'/report/[kind]/[id]': () => '/report/comment/demo-comment-reported',
	'/moderation': () => '/moderation',
	'/moderation/settings': () => '/moderation/settings',
	'/sign-out': () => '/sign-out',
	'/updates': () => '/updates',
	'/updates/confirm/[token]': () => '/updates/confirm/not-a-real-link',
	'/updates/preferences/[token]': () => '/updates/preferences/not-a-real-link',
	'/updates/unsubscribe/[token]': () => '/updates/unsubscribe/not-a-real-link',
	'/updates/archive': () => '/updates/archive',
	'/blog': () => '/blog',
	// No demo posts yet: the page a visitor gets for a post that is not there (the lead swaps in
	// a demo post's slug once the writing side's demo lands).
	'/blog/[slug]': () => '/blog/not-a-real-post',
	'/share/mastodon': () => '/share/mastodon?text=A%20page%20worth%20sharing',
	'/updates/archive/[id]': () => '/updates/archive/demo-announcement-spring',
	'/updates/announcements/new': () => '/updates/announcements/new',
	'/blog/new': () => '/blog/new',
	'/blog/mine': () => '/blog/mine',
	'/blog/review': () => '/blog/review',
	'/blog/themes': () => '/blog/themes',
	// The demo's café harvest post (the administrator may edit any post).
	'/blog/[slug]/edit': () => '/blog/harvest-from-the-transport-cafe/edit',
	'/blog/[slug]/history': () => '/blog/harvest-from-the-transport-cafe/history',
	// The library: the demo's case studies (case-studies.demo.ts).
	'/library': () => '/library',
	'/library/[slug]': () => '/library/carers-redesign-the-respite-booking-form',
	'/library/[slug]/history': () => '/library/day-centre-members-set-the-activity-budget/history',
	// The administrator's own draft (only the author edits a case study).
	'/library/[slug]/edit': () => '/library/a-co-produced-welcome-pack-draft/edit',
	'/library/new': () => '/library/new',
	'/library/mine': () => '/library/mine',
	'/library/involved': () => '/library/involved',
	'/library/review': () => '/library/review',
	'/library/review/[slug]': () =>
		'/library/review/riders-rewrite-the-community-transport-timetable',
	'/library/words': () => '/library/words',
	// The demo's evening drop-in for carers; its owner's pages are checked as its owner, below.
	'/pilots': () => '/pilots',
	'/pilots/new': () => '/pilots/new',
	'/pilots/[slug]': () => '/pilots/evening-drop-in-for-carers',
	'/pilots/[slug]/edit': () => '/pilots/evening-drop-in-for-carers/edit',
	'/pilots/[slug]/team': () => '/pilots/evening-drop-in-for-carers/team',
	'/pilots/[slug]/entries/new': () => '/pilots/evening-drop-in-for-carers/entries/new',
	'/pilots/[slug]/entries/[id]/edit': () =>
		'/pilots/evening-drop-in-for-carers/entries/demo-pilot-evening-drop-in-entry-1/edit',
	'/together': () => '/together',
	'/ideas': () => '/ideas',
	'/ideas/new': () => '/ideas/new',
	// The demo's repair café: supports of each kind, comments and a stage note.
	'/ideas/[slug]': () => '/ideas/a-monthly-repair-cafe',
	// Priya's new idea: only its author may change its words, while it is new.
	'/ideas/[slug]/edit': () => '/ideas/a-peer-support-text-line/edit',
	'/ideas/[slug]/stage': () => '/ideas/a-monthly-repair-cafe/stage',
	'/ideas/[slug]/turn-into': () => '/ideas/a-monthly-repair-cafe/turn-into?kind=event',
	'/champions': () => '/champions',
	'/champions/[id]': () => '/champions/demo-champion-jo',
	'/champions/[id]/ask': () => '/champions/demo-champion-jo/ask',
	'/champions/volunteer': () => '/champions/volunteer',
	'/champions/review': () => '/champions/review',
	'/champions/requests': () => '/champions/requests',
	// The administrator asked Jo, who declined with a note.
	'/champions/requests/[id]': () => '/champions/requests/demo-request-declined',
	// The demo statement is in its third version, with one open amendment.
	'/statement': () => '/statement',
	'/statement/print': () => '/statement/print',
	'/statement/versions': () => '/statement/versions',
	'/statement/compare': () => '/statement/compare?from=1&to=3',
	'/statement/amendments/new': () => '/statement/amendments/new?clause=demo-clause-how-1',
	'/statement/amendments/[id]': () => '/statement/amendments/demo-statement-amendment-open',
	'/statement/endorse': () => '/statement/endorse',
	'/statement/start': () => '/statement/start',
	'/statement/facilitate': () => '/statement/facilitate',
	// The demo's decisions: an open dot vote, a closed consensus decision in two rounds, a draft.
	// The administrator, a curator, may facilitate each.
	'/decisions': () => '/decisions',
	'/decisions/new': () => '/decisions/new',
	'/decisions/[slug]': () => '/decisions/which-topics-for-the-spring-knowledge-cafes',
	'/decisions/[slug]/edit': () => '/decisions/should-we-try-a-saturday-session/edit',
	'/decisions/[slug]/outcome': () =>
		'/decisions/should-the-monthly-meeting-move-to-the-evening-round-2/outcome',
	'/decisions/[slug]/next-round': () =>
		'/decisions/should-the-monthly-meeting-move-to-the-evening-round-2/next-round',
	'/decisions/[slug]/people': () => '/decisions/which-topics-for-the-spring-knowledge-cafes/people',
	// Enquiry reports (part C): the demo's published report prints for anyone; the draft pages
	// use the demo's second enquiry, still reporting; deleting raw material, the published one.
	'/enquiries/[id]/print': () => '/enquiries/demo-enquiry-coproduction/print',
	'/enquiries/[id]/report': () => '/enquiries/demo-enquiry-volunteers/report',
	'/enquiries/[id]/report/details': () => '/enquiries/demo-enquiry-volunteers/report/details',
	'/enquiries/[id]/report/sections/new': () =>
		'/enquiries/demo-enquiry-volunteers/report/sections/new',
	'/enquiries/[id]/report/sections/[sectionId]': () =>
		'/enquiries/demo-enquiry-volunteers/report/sections/demo-enquiry-volunteers-section-1',
	'/enquiries/[id]/report/sections/[sectionId]/quotes': () =>
		'/enquiries/demo-enquiry-volunteers/report/sections/demo-enquiry-volunteers-section-1/quotes?code=all',
	'/enquiries/[id]/report/publish': () => '/enquiries/demo-enquiry-volunteers/report/publish',
	'/enquiries/[id]/report/follow-ons': () => '/enquiries/demo-enquiry-volunteers/report/follow-ons',
	'/enquiries/[id]/report/delete-raw': () =>
		'/enquiries/demo-enquiry-coproduction/report/delete-raw',
	// Enquiries, coding (part B): the team's pages of the demo enquiry, found in its database.
	'/enquiries/[id]/codes': () => `/enquiries/${enquiryIds.enquiry}/codes`,
	'/enquiries/[id]/codes/new': () => `/enquiries/${enquiryIds.enquiry}/codes/new`,
	'/enquiries/[id]/codes/seed': () => `/enquiries/${enquiryIds.enquiry}/codes/seed`,
	'/enquiries/[id]/codes/[codeId]': () =>
		`/enquiries/${enquiryIds.enquiry}/codes/${enquiryIds.code}`,
	'/enquiries/[id]/codes/[codeId]/edit': () =>
		`/enquiries/${enquiryIds.enquiry}/codes/${enquiryIds.code}/edit`,
	'/enquiries/[id]/codes/[codeId]/merge': () =>
		`/enquiries/${enquiryIds.enquiry}/codes/${enquiryIds.code}/merge`,
	'/enquiries/[id]/interviews/[interviewId]/code': () =>
		`/enquiries/${enquiryIds.enquiry}/interviews/${enquiryIds.interview}/code`,
	'/enquiries/[id]/views': () => `/enquiries/${enquiryIds.enquiry}/views`,
	'/enquiries/[id]/views/perspectives': () => `/enquiries/${enquiryIds.enquiry}/views/perspectives`,
	'/enquiries/[id]/views/pairs': () => `/enquiries/${enquiryIds.enquiry}/views/pairs`,
	'/enquiries/[id]/export': () => `/enquiries/${enquiryIds.enquiry}/export`,
	// Visitor pages: checked in a second, signed-out pass below.
	'/setup': () => '/setup',
	'/sign-in': () => '/sign-in',
	'/sign-in/link': () => '/sign-in/link?token=not-a-real-token',
	'/sign-up': () => '/sign-up',
	'/sign-up/check-email': () => '/sign-up/check-email',
	'/forgot-password': () => '/forgot-password',
	'/reset-password': () => '/reset-password?token=not-a-real-token',
	'/verify-email': () => '/verify-email?token=not-a-real-token',
	// Enquiries (core): the team's pages are of an enquiry seeded for Priya, its lead, below.
	'/enquiries': () => '/enquiries',
	'/enquiries/new': () => '/enquiries/new',
	'/enquiries/invitations/[token]': () => '/enquiries/invitations/not-a-real-invitation',
	'/enquiries/[id]': () => `/enquiries/${enquiry.id}`,
	'/enquiries/[id]/edit': () => `/enquiries/${enquiry.id}/edit`,
	'/enquiries/[id]/team': () => `/enquiries/${enquiry.id}/team`,
	'/enquiries/[id]/participants': () => `/enquiries/${enquiry.id}/participants`,
	'/enquiries/[id]/participants/new': () => `/enquiries/${enquiry.id}/participants/new`,
	'/enquiries/[id]/participants/[participantId]': () =>
		`/enquiries/${enquiry.id}/participants/${enquiry.participant}`,
	'/enquiries/[id]/participants/[participantId]/withdraw': () =>
		`/enquiries/${enquiry.id}/participants/${enquiry.participant}/withdraw`,
	'/enquiries/[id]/interviews': () => `/enquiries/${enquiry.id}/interviews`,
	'/enquiries/[id]/interviews/new': () => `/enquiries/${enquiry.id}/interviews/new`,
	'/enquiries/[id]/interviews/[interviewId]': () =>
		`/enquiries/${enquiry.id}/interviews/${enquiry.interview}`,
	'/enquiries/[id]/interviews/[interviewId]/edit': () =>
		`/enquiries/${enquiry.id}/interviews/${enquiry.interview}/edit`,
	'/enquiries/[id]/interviews/[interviewId]/delete': () =>
		`/enquiries/${enquiry.id}/interviews/${enquiry.interview}/delete`
};

/** The enquiry seeded for its team's pages (set by that test before it visits them). */
const enquiry = { id: 'not-seeded-yet', participant: 'none', interview: 'none' };

/** Pages only an enquiry's team reaches (nobody else, not the administrator): checked as its lead. */
const ENQUIRY_TEAM_PAGES = [
	'/enquiries/[id]',
	'/enquiries/[id]/edit',
	'/enquiries/[id]/team',
	'/enquiries/[id]/participants',
	'/enquiries/[id]/participants/new',
	'/enquiries/[id]/participants/[participantId]',
	'/enquiries/[id]/participants/[participantId]/withdraw',
	'/enquiries/[id]/interviews',
	'/enquiries/[id]/interviews/new',
	'/enquiries/[id]/interviews/[interviewId]',
	'/enquiries/[id]/interviews/[interviewId]/edit',
	'/enquiries/[id]/interviews/[interviewId]/delete'
];

/** Pages for signing in and up: a signed-in person is sent elsewhere, so only visitors see them. */
const VISITOR_ONLY = [
	'/setup',
	'/sign-in',
	'/sign-in/link',
	'/sign-up',
	'/sign-up/check-email',
	'/forgot-password',
	'/reset-password',
	'/verify-email'
];

/**
 * Pages only a pilot's team reaches (the administrator is refused them): checked as the demo
 * pilot's owner instead.
 */
const PILOT_TEAM_PAGES = [
	'/pilots/[slug]/edit',
	'/pilots/[slug]/team',
	'/pilots/[slug]/entries/new',
	'/pilots/[slug]/entries/[id]/edit'
];

/** Enquiries, coding (part B): only the enquiry's team reaches these; checked as a team member. */
const ENQUIRY_CODING_PAGES = Object.keys(PAGES).filter((route) =>
	/^\/enquiries\/\[id\]\/(codes|views|export|interviews\/\[interviewId\]\/code)/.test(route)
);
/** The demo enquiry with codes, one of its codes and coded interviews, and a team member. */
let enquiryIds = { enquiry: 'none', code: 'none', interview: 'none', member: '' };
async function findDemoEnquiry(server: RunningServer) {
	const database = openServerDatabase(server);
	try {
		const row = await database.db
			.selectFrom('enquiry_excerpt as e')
			.innerJoin('enquiry_coding as c', 'c.excerpt_id', 'e.id')
			.innerJoin('enquiry_member as m', 'm.enquiry_id', 'e.enquiry_id')
			.innerJoin('app_user as u', 'u.id', 'm.user_id')
			.select(['e.enquiry_id', 'c.code_id', 'e.interview_id', 'u.email'])
			.executeTakeFirst();
		if (row)
			enquiryIds = {
				enquiry: row.enquiry_id,
				code: row.code_id,
				interview: row.interview_id,
				member: row.email
			};
	} finally {
		await database.close();
	}
}

/** Pages only an idea's author reaches: checked as the demo idea's author. */
const IDEA_AUTHOR_PAGES = ['/ideas/[slug]/edit'];

/** An enquiry's report pages: only its team reaches them; checked as the demo enquiries' lead. */
const ENQUIRY_REPORT_TEAM_PAGES = [
	'/enquiries/[id]/report',
	'/enquiries/[id]/report/details',
	'/enquiries/[id]/report/sections/new',
	'/enquiries/[id]/report/sections/[sectionId]',
	'/enquiries/[id]/report/sections/[sectionId]/quotes',
	'/enquiries/[id]/report/publish',
	'/enquiries/[id]/report/follow-ons',
	'/enquiries/[id]/report/delete-raw'
];

/** Public pages: checked as a visitor sees them, and again as the administrator does. */
const PUBLIC_PAGES = [
	'/',
	'/organisations',
	'/organisations/[slug]',
	'/people/[id]',
	'/events',
	'/events/past',
	'/events/calendar',
	'/events/[id]',
	'/events/[id]/cafe',
	'/events/[id]/talks',
	'/events/[id]/check-email',
	'/assessments',
	'/assessments/check',
	'/assessments/answer/[code]',
	'/updates',
	'/updates/archive',
	'/updates/archive/[id]',
	'/blog',
	'/blog/[slug]',
	'/share/mastodon',
	'/blog/[slug]/comments',
	'/blog/themes',
	'/library',
	'/library/[slug]',
	'/library/[slug]/history',
	'/pilots',
	'/pilots/[slug]',
	'/ideas',
	'/ideas/[slug]',
	'/enquiries',
	'/champions',
	'/champions/[id]',
	'/statement',
	'/statement/print',
	'/statement/versions',
	'/statement/compare',
	'/statement/amendments/[id]',
	'/enquiries/[id]/print',
	'/search'
];

const VISITOR_PAGES = [...VISITOR_ONLY, ...PUBLIC_PAGES];

function routeFiles(dir = 'src/routes', prefix = ''): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (entry.isDirectory()) {
			// Route groups like (admin) add nothing to the address.
			const segment = /^\(.*\)$/.test(entry.name) ? '' : `/${entry.name}`;
			found.push(...routeFiles(path.join(dir, entry.name), prefix + segment));
		} else if (entry.name === '+page.svelte') found.push(prefix || '/');
	}
	return found;
}

/** The demo post with a video (or, before the demo has posts, an address that is not found). */
async function demoPostWithVideo(server: RunningServer): Promise<string> {
	const database = openServerDatabase(server);
	try {
		const found = await database.db
			.selectFrom('post_video')
			.innerJoin('post', 'post.id', 'post_video.post_id')
			.select('post.slug')
			.executeTakeFirst();
		return found?.slug ?? 'no-demo-post-yet';
	} finally {
		await database.close();
	}
}

async function visit(
	page: Page,
	url: string,
	axe: (page: Page) => Promise<void>,
	server: RunningServer
) {
	const response = await page.goto(url);
	// On a server error, show what the server logged (the error and its stack).
	const log = (response?.status() ?? 0) >= 500 ? `\n${server.output().slice(-4000)}` : '';
	expect(response?.status(), `${url} answered${log}`).toBeLessThan(500);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await axe(page);
}

test.describe('Every page', () => {
	// Each test starts from the demo on its own; they share nothing, so they may run side by side.
	test.describe.configure({ mode: 'parallel' });
	let demo: RunningServer;
	test.beforeAll(async () => {
		demo = await startColab({ MAIL_WORKER: 'off' }, ['--demo']);
	});
	test.afterAll(async () => {
		await demo?.stop();
	});

	test('is listed in this sweep', () => {
		expect(routeFiles().sort()).toEqual(Object.keys(PAGES).sort());
	});

	async function demoIds(browser: Browser): Promise<Ids> {
		const context = await browser.newContext({ baseURL: demo.url });
		const visitor = await context.newPage();
		await visitor.goto('/organisations/riverside-carers-centre');
		const personHref = await visitor
			.getByRole('main')
			.locator('a[href^="/people/"]')
			.first()
			.getAttribute('href');
		await context.close();
		const ids: Ids = {
			organisation: 'riverside-carers-centre',
			person: personHref?.split('/').pop() ?? '',
			// The demo's full breakfast meet-up: a waitlist, access needs, a curator as host.
			event: 'demo-breakfast-meetup',
			post: await demoPostWithVideo(demo)
		};
		expect(ids.person).not.toBe('');
		return ids;
	}

	async function signedIn(browser: Browser, email: string, landmark: string): Promise<Page> {
		const password = /password for all: (\S+)\)/.exec(demo.output())?.[1] ?? '';
		const context = await browser.newContext({ baseURL: demo.url });
		const page = await context.newPage();
		await page.goto('/sign-in');
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('link', { name: landmark, exact: true })).toBeVisible();
		return page;
	}

	test('passes axe for a visitor', async ({ browser, axe }) => {
		// Dozens of pages, each checked at two widths: minutes on a busy two-core machine.
		test.setTimeout(600_000);
		const ids = await demoIds(browser);
		const context = await browser.newContext({ baseURL: demo.url });
		const visitor = await context.newPage();
		for (const route of VISITOR_PAGES) await visit(visitor, PAGES[route]!(ids), axe, demo);
		await context.close();
	});

	// The administrator's pages in two halves, so each stays well inside its time and the two can
	// run on different workers.
	const ADMIN_PAGES = Object.keys(PAGES).filter(
		(route) =>
			!VISITOR_ONLY.includes(route) &&
			!PILOT_TEAM_PAGES.includes(route) &&
			!IDEA_AUTHOR_PAGES.includes(route) &&
			!ENQUIRY_REPORT_TEAM_PAGES.includes(route) &&
			!ENQUIRY_CODING_PAGES.includes(route) &&
			!ENQUIRY_TEAM_PAGES.includes(route)
	);
	const HALF = Math.ceil(ADMIN_PAGES.length / 2);
	for (const [part, routes] of [
		['first', ADMIN_PAGES.slice(0, HALF)],
		['second', ADMIN_PAGES.slice(HALF)]
	] as const) {
		test(`passes axe for the administrator, ${part} half`, async ({ browser, axe }) => {
			// Dozens of pages, each checked at two widths: minutes on a busy two-core machine.
			test.setTimeout(600_000);
			const ids = await demoIds(browser);
			const admin = /(\S+@\S+)\s+administrator/.exec(demo.output())?.[1] ?? '';
			const page = await signedIn(browser, admin, 'Admin');
			for (const route of routes) await visit(page, PAGES[route]!(ids), axe, demo);
			await page.context().close();
		});
	}

	test('passes axe for a pilot’s owner on its team pages', async ({ browser, axe }) => {
		test.setTimeout(300_000);
		const ids = await demoIds(browser);
		const owner = await signedIn(browser, 'priya@demo.colab.example', 'Your account');
		for (const route of PILOT_TEAM_PAGES) await visit(owner, PAGES[route]!(ids), axe, demo);
		await owner.context().close();
	});

	test('passes axe for an idea’s author on its edit page', async ({ browser, axe }) => {
		test.setTimeout(300_000);
		const ids = await demoIds(browser);
		const author = await signedIn(browser, 'priya@demo.colab.example', 'Your account');
		for (const route of IDEA_AUTHOR_PAGES) await visit(author, PAGES[route]!(ids), axe, demo);
		await author.context().close();
	});

	test('passes axe for an enquiry’s lead on its report pages', async ({ browser, axe }) => {
		test.setTimeout(300_000);
		const ids = await demoIds(browser);
		const lead = await signedIn(browser, 'jo@demo.colab.example', 'Your account');
		for (const route of ENQUIRY_REPORT_TEAM_PAGES) await visit(lead, PAGES[route]!(ids), axe, demo);
		await lead.context().close();
	});

	test('passes axe for an enquiry’s team on its coding pages', async ({ browser, axe }) => {
		test.setTimeout(300_000);
		await findDemoEnquiry(demo);
		// The demo enquiry (part C) must be coded for these pages to have something to show.
		expect(enquiryIds.member, 'the demo has a coded enquiry').not.toBe('');
		const member = await signedIn(browser, enquiryIds.member, 'Your account');
		for (const route of ENQUIRY_CODING_PAGES)
			await visit(member, PAGES[route]!({} as Ids), axe, demo);
		await member.context().close();
	});

	test('passes axe for an enquiry’s lead on its team pages, and a visitor on its page', async ({
		browser,
		axe
	}) => {
		test.setTimeout(300_000);
		const database = openServerDatabase(demo);
		try {
			const priya = await database.db
				.selectFrom('app_user')
				.select('id')
				.where('email', '=', 'priya@demo.colab.example')
				.executeTakeFirstOrThrow();
			enquiry.id = await insertTestEnquiry(database.db, priya.id, { title: 'Axe sweep enquiry' });
			enquiry.participant = await insertTestParticipant(database.db, enquiry.id);
			enquiry.interview = await insertTestInterview(
				database.db,
				enquiry.id,
				enquiry.participant,
				'We need each other.\n\nIt takes time.',
				{ interviewerId: priya.id }
			);
		} finally {
			await database.close();
		}
		const lead = await signedIn(browser, 'priya@demo.colab.example', 'Your account');
		for (const route of ENQUIRY_TEAM_PAGES) await visit(lead, PAGES[route]!({} as Ids), axe, demo);
		await lead.context().close();
		const context = await browser.newContext({ baseURL: demo.url });
		const visitor = await context.newPage();
		await visit(visitor, `/enquiries/${enquiry.id}`, axe, demo);
		// The demo's published report, on its enquiry's page, and the idea that followed from it.
		await visit(visitor, '/enquiries/demo-enquiry-coproduction', axe, demo);
		await expect(
			visitor.getByRole('heading', { name: 'What co-production means here: eleven conversations' })
		).toBeVisible();
		await expect(visitor.getByText('Priya, a carer').first()).toBeVisible();
		await visit(visitor, '/ideas/easy-read-letters-from-the-council', axe, demo);
		await expect(visitor.getByText('Followed from the enquiry')).toBeVisible();
		await context.close();
	});
});
