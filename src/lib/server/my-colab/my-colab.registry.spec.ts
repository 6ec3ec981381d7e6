import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { testAssessment } from '../assessments/assessments.testing';
import {
	currentCheckFramework,
	readCheckAnswers,
	saveSelfCheck,
	viewSavedCheck
} from '../assessments/self-check.service';
import { proposeTopic } from '../events/cafe.service';
import { publishedEvent, testMember, TEST_SITE } from '../events/events.testing';
import { cancelRegistration, registerMember } from '../events/registrations.service';
import { offerTalk } from '../events/talks.service';
import { createOrganisation, inviteToOrganisation } from '../organisations/organisations.service';
import { describeEachDatabase } from '../testing/databases';
import {
	ITEMS_PER_PAGE,
	ITEMS_PER_SECTION,
	MY_COLAB_SECTIONS,
	loadMyColab,
	loadMyColabSectionPage
} from './my-colab.registry';
import type { LoadedSection } from './my-colab.types';

const TZ = 'Europe/London';

/** Counts the queries a database handle runs. */
class QueryCounter implements KyselyPlugin {
	count = 0;
	transformQuery(args: PluginTransformQueryArgs) {
		this.count++;
		return args.node;
	}
	async transformResult(args: PluginTransformResultArgs) {
		return args.result;
	}
}

function section(sections: LoadedSection[], id: string): LoadedSection {
	const found = sections.find((s) => s.id === id);
	if (!found) throw new Error(`no section ${id}`);
	return found;
}

const titles = (s: LoadedSection) => s.items.map((i) => i.title);

describe('My CoLab sections', () => {
	it('have unique ids that work as addresses, in order', () => {
		const ids = MY_COLAB_SECTIONS.map((s) => s.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^[a-z][a-z-]*$/);
		const orders = MY_COLAB_SECTIONS.map((s) => s.order);
		expect(orders).toEqual([...orders].sort((a, b) => a - b));
	});
});

describeEachDatabase('My CoLab', (ctx) => {
	let ana: SessionUser;
	let ben: SessionUser;
	let host: SessionUser;
	const booked = 'Carers’ coffee morning';
	const offered = 'Peer support evening';
	const waiting = 'Co-design workshop';
	const bensOwn = 'Ben’s own meet-up';

	/** A public event by the curator `host`, with this title and number of places. */
	async function event(title: string, capacity: string, format = 'meet-up') {
		return (await publishedEvent(ctx.db, { title, capacity, format }, host)).event;
	}

	async function register(person: SessionUser, eventId: string, values = {}) {
		const result = await registerMember(ctx.db, TEST_SITE, person, eventId, values);
		if (!result.ok) throw new Error(`not registered: ${JSON.stringify(result)}`);
		return result.registration;
	}

	beforeAll(async () => {
		ana = await testMember(ctx.db, 'member', 'Ana Member');
		ben = await testMember(ctx.db, 'member', 'Ben Member');
		host = await testMember(ctx.db, 'curator', 'Hana Host');
		const carla = await testMember(ctx.db, 'member', 'Carla Member');

		// Ana and Ben both have a place at the coffee morning; Ben also at his own choice.
		const coffee = await event(booked, '10');
		await register(ana, coffee.id, { needs: ['bsl'] });
		await register(ben, coffee.id);
		await register(ben, (await event(bensOwn, '10')).id);

		// One place: Carla takes it, Ana then Ben wait; Carla gives it up, so Ana is offered it.
		const evening = await event(offered, '1');
		const carlas = await register(carla, evening.id);
		await register(ana, evening.id);
		await register(ben, evening.id);
		const cancelled = await cancelRegistration(ctx.db, TEST_SITE, {
			member: carla,
			registrationId: carlas.id
		});
		expect(cancelled.ok).toBe(true);

		// One place, taken by Carla: Ben waits first, Ana second.
		const workshop = await event(waiting, '1');
		await register(carla, workshop.id);
		await register(ben, workshop.id);
		await register(ana, workshop.id);

		// Ana offers a talk; the host proposes a café topic.
		const talks = await event('Five-minute ideas', '30', 'lightning-talks');
		expect(
			await offerTalk(ctx.db, ana, talks.id, {
				title: 'Paying people for their time',
				summary: 'Why.'
			})
		).toEqual({ ok: true });
		const cafe = await event('Winter café', '30', 'knowledge-cafe');
		expect(await proposeTopic(ctx.db, host, cafe.id, { title: 'Loneliness in winter' })).toEqual({
			ok: true
		});

		// Ana saves a check of her own; Ben runs one with others.
		const framework = await currentCheckFramework(ctx.db);
		const first = framework.dimensions[0]!.statements[0]!;
		const saved = await saveSelfCheck(
			ctx.db,
			ana,
			framework,
			readCheckAnswers(framework, { [`s-${first.id}`]: '3' }),
			'Day centre'
		);
		expect(saved.ok).toBe(true);
		await testAssessment(ctx.db, { title: 'Ben’s library check' }, ben);

		// Ana runs an organisation and invites Ben.
		const org = await createOrganisation(ctx.db, ana, {
			name: 'Riverside Carers',
			description: 'Carers supporting carers.',
			website: ''
		});
		if (!org.ok) throw new Error('no organisation');
		const invited = await inviteToOrganisation(
			ctx.db,
			{ siteName: 'CoLab Test', origin: 'http://colab.test' },
			ana,
			org.organisation.id,
			{ email: ben.email, role: 'member' }
		);
		expect(invited.ok).toBe(true);
	});

	it('shows a member their places, offer, waitlists, talks, checks and organisations', async () => {
		const mine = await loadMyColab(ctx.db, ana, { timeZone: TZ });
		expect(mine.map((s) => s.id)).toEqual(MY_COLAB_SECTIONS.map((s) => s.id));

		const places = section(mine, 'places');
		expect(titles(places)).toEqual([booked]);
		expect(places.items[0]!.actions).toContainEqual(
			expect.objectContaining({ label: 'Add to calendar', download: true })
		);
		expect(places.items[0]!.actions[0]!.href).toMatch(/^\/events\/[^/]+\/event\.ics$/);

		const offers = section(mine, 'offers');
		expect(titles(offers)).toEqual([offered]);
		// The deadline in words: a time and a day, never "the time in your email".
		expect(offers.items[0]!.details[0]).toMatch(
			/^Take it by (\d{1,2}(:\d\d)?(am|pm)|midday|midnight) on \w+day \d{1,2} \w+ \d{4}\./
		);

		const waitlists = section(mine, 'waitlists');
		expect(titles(waitlists)).toEqual([waiting]);
		expect(waitlists.items[0]!.details[0]).toMatch(/You are number 2 on the waitlist/);

		expect(titles(section(mine, 'talks'))).toEqual(['Paying people for their time']);
		expect(section(mine, 'talks').items[0]!.details).toContain(
			'Offered: the host has not decided yet'
		);

		const saved = section(mine, 'checks-saved');
		expect(titles(saved)).toEqual(['Day centre']);
		expect(saved.items[0]!.href).toMatch(/^\/assessments\/check\/saved\/[^/]+$/);

		expect(titles(section(mine, 'organisations'))).toEqual(['Riverside Carers']);
		// Nothing here is hers to show: empty sections say what to do next.
		for (const id of ['hosting', 'cafe-topics', 'checks-run', 'invitations']) {
			expect(section(mine, id).items, id).toEqual([]);
			expect(section(mine, id).empty.text.length, id).toBeGreaterThan(10);
		}
		expect(section(mine, 'places').more).toBeNull();
	});

	it('never shows a member another member’s places, offers, checks or invitations', async () => {
		const bens = await loadMyColab(ctx.db, ben, { timeZone: TZ });
		// Both events start at the same time, so either may come first.
		expect(titles(section(bens, 'places')).sort()).toEqual([bensOwn, booked].sort());
		// Ana's offer is hers: Ben is still waiting behind it.
		expect(section(bens, 'offers').items).toEqual([]);
		expect(titles(section(bens, 'waitlists')).sort()).toEqual([offered, waiting].sort());
		expect(section(bens, 'waitlists').items.map((i) => i.details[0])).toEqual([
			expect.stringMatching(/You are number 1 on the waitlist/),
			expect.stringMatching(/You are number 1 on the waitlist/)
		]);
		expect(section(bens, 'talks').items).toEqual([]);
		expect(section(bens, 'checks-saved').items).toEqual([]);
		expect(titles(section(bens, 'checks-run'))).toEqual(['Ben’s library check']);
		expect(section(bens, 'organisations').items).toEqual([]);
		expect(titles(section(bens, 'invitations'))).toEqual(['Riverside Carers']);

		// Ana's saved check cannot be opened by Ben (as if it did not exist).
		const anas = section(await loadMyColab(ctx.db, ana, { timeZone: TZ }), 'checks-saved');
		const id = anas.items[0]!.id;
		expect(await viewSavedCheck(ctx.db, ben, id)).toBeUndefined();
		const view = await viewSavedCheck(ctx.db, ana, id);
		expect(view?.label).toBe('Day centre');
		expect(view?.profile.answered).toBe(1);
	});

	it('shows a host the places taken and left and how many declared access needs', async () => {
		// The host has six events, all at one time: ask for all of them.
		const hosts = await loadMyColab(ctx.db, host, { timeZone: TZ, limit: 20 });
		const hosting = section(hosts, 'hosting');
		const coffee = hosting.items.find((i) => i.title === booked)!;
		expect(coffee.details).toContain('2 of 10 places taken, 8 left');
		expect(coffee.details).toContain('1 person has told you about access needs');
		expect(coffee.actions[0]).toMatchObject({ label: 'See who is coming' });
		const evening = hosting.items.find((i) => i.title === offered)!;
		// The place on offer is held for Ana.
		expect(evening.details).toContain('1 of 1 place taken, 0 left');
		expect(titles(section(hosts, 'cafe-topics'))).toEqual(['Loneliness in winter']);
		expect(section(hosts, 'cafe-topics').items[0]!.details).toContain('Voting is open');
	});

	it('loads every section in one query each, however many things a member has', async () => {
		const counter = new QueryCounter();
		const counted = ctx.db.withPlugin(counter);
		await loadMyColab(counted, host, { timeZone: TZ });
		const few = counter.count;
		expect(few).toBe(MY_COLAB_SECTIONS.length);

		// Many more events to host, places and waitlists: the same number of queries.
		const many = await testMember(ctx.db, 'member', 'Busy Member');
		for (let i = 0; i < ITEMS_PER_SECTION + 3; i++) {
			const { event } = await publishedEvent(ctx.db, { title: `Busy ${i}`, capacity: '5' }, host);
			await register(many, event.id);
		}
		counter.count = 0;
		const loaded = await loadMyColab(counted, host, { timeZone: TZ });
		expect(counter.count).toBe(few);
		const hosting = section(loaded, 'hosting');
		expect(hosting.items).toHaveLength(ITEMS_PER_SECTION);
		expect(hosting.more).toEqual({ href: '/me/hosting', label: 'See all events you host' });

		counter.count = 0;
		const busy = section(await loadMyColab(counted, many, { timeZone: TZ }), 'places');
		expect(counter.count).toBe(few);
		expect(busy.items).toHaveLength(ITEMS_PER_SECTION);
		expect(busy.more?.href).toBe('/me/places');
	});

	it('pages through a section’s full list, and knows no other sections', async () => {
		const first = await loadMyColabSectionPage(ctx.db, host, 'hosting', 1, { timeZone: TZ });
		expect(first?.section.items.length).toBeLessThanOrEqual(ITEMS_PER_PAGE);
		expect(first?.section.items.length).toBeGreaterThan(ITEMS_PER_SECTION);
		expect(first?.hasNext).toBe(false);
		expect(await loadMyColabSectionPage(ctx.db, host, 'hosting', 2, { timeZone: TZ })).toBe(
			undefined
		);
		expect(await loadMyColabSectionPage(ctx.db, host, 'nothing', 1, { timeZone: TZ })).toBe(
			undefined
		);
		expect(await loadMyColabSectionPage(ctx.db, host, 'hosting', 0, { timeZone: TZ })).toBe(
			undefined
		);
		const empty = await loadMyColabSectionPage(ctx.db, ben, 'hosting', 1, { timeZone: TZ });
		expect(empty?.section.items).toEqual([]);
	});
});
