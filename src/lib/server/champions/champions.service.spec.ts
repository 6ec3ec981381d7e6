import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { libraryVocabulary } from '../library/tags.service';
import { HELP_WITH_MAX, parseChampionFilters } from './champions.schema';
import {
	changeMyChampionStatus,
	championsForDimensions,
	confirmChampion,
	listChampions,
	myChampion,
	reviewChampions,
	turnDownChampion,
	viewChampion,
	volunteer
} from './champions.service';
import { createTestChampion, volunteerForm } from './champions.testing';
import { insertTestPost } from '../posts/blog.testing';

describeEachDatabase('champions', (ctx) => {
	const curator = () => createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });

	it('a member volunteers, waits for a curator, who confirms them; the volunteer is told and it is audited', async () => {
		const member = await createTestUser(ctx.db, { name: 'Vic Volunteer' });
		const cleo = await curator();
		const result = await volunteer(ctx.db, member, await volunteerForm(ctx.db));
		expect(result).toMatchObject({ ok: true, status: 'waiting', created: true });
		if (!result.ok) return;
		// Not listed and no page while waiting (except for themself).
		expect((await listChampions(ctx.db, {}, 1)).champions.map((c) => c.id)).not.toContain(
			result.id
		);
		expect(await viewChampion(ctx.db, null, result.id)).toBeUndefined();
		expect((await viewChampion(ctx.db, member, result.id))?.own).toBe(true);
		const queue = await reviewChampions(ctx.db, cleo);
		expect(queue.waiting.map((w) => w.id)).toContain(result.id);
		// Curators were told of the offer.
		const toldCurator = await ctx.db
			.selectFrom('notification')
			.select('title')
			.where('recipient_id', '=', cleo.id)
			.where('kind', '=', 'champion-request')
			.executeTakeFirst();
		expect(toldCurator?.title).toContain('Vic Volunteer offered');

		expect(await confirmChampion(ctx.db, cleo, result.id)).toBe(true);
		expect(await confirmChampion(ctx.db, cleo, result.id)).toBe(false);
		const listed = await listChampions(ctx.db, {}, 1);
		const card = listed.champions.find((c) => c.id === result.id);
		expect(card).toMatchObject({ name: 'Vic Volunteer', availability: ['lunch', 'online'] });
		expect(card?.serviceAreas).toHaveLength(1);
		expect(card?.dimensions).toHaveLength(1);
		const told = await ctx.db
			.selectFrom('notification')
			.select(['title', 'url'])
			.where('recipient_id', '=', member.id)
			.executeTakeFirst();
		expect(told?.title).toContain('confirmed you');
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('action')
			.where('target_id', '=', result.id)
			.execute();
		expect(audit.map((a) => a.action)).toContain('champion.confirmed');
	});

	it('refuses members who are not curators confirming or turning down champions', async () => {
		const member = await createTestUser(ctx.db);
		const other = await createTestUser(ctx.db);
		const result = await volunteer(ctx.db, member, await volunteerForm(ctx.db));
		if (!result.ok) throw new Error('volunteer failed');
		await expect(confirmChampion(ctx.db, other, result.id)).rejects.toThrow(ForbiddenError);
		await expect(confirmChampion(ctx.db, member, result.id)).rejects.toThrow(ForbiddenError);
		await expect(turnDownChampion(ctx.db, other, result.id, 'No')).rejects.toThrow(ForbiddenError);
		await expect(reviewChampions(ctx.db, other)).rejects.toThrow(ForbiddenError);
		await expect(volunteer(ctx.db, null, await volunteerForm(ctx.db))).rejects.toThrow(
			ForbiddenError
		);
	});

	it('a curator turns an offer down with a note the volunteer reads; offering again waits again', async () => {
		const member = await createTestUser(ctx.db);
		const cleo = await curator();
		const result = await volunteer(ctx.db, member, await volunteerForm(ctx.db));
		if (!result.ok) throw new Error('volunteer failed');
		expect(await turnDownChampion(ctx.db, cleo, result.id, 'Come to a café first.')).toBe(true);
		const mine = await myChampion(ctx.db, member);
		expect(mine).toMatchObject({ status: 'stepped-down', decisionNote: 'Come to a café first.' });
		const again = await volunteer(ctx.db, member, await volunteerForm(ctx.db));
		expect(again).toMatchObject({ ok: true, status: 'waiting', created: false });
	});

	it('bad input gets a message beside each field: empty, oversized, unknown tags, a phone with no number', async () => {
		const member = await createTestUser(ctx.db);
		const empty = await volunteer(
			ctx.db,
			member,
			await volunteerForm(ctx.db, {
				serviceAreas: [],
				dimensions: [],
				helpWith: '  ',
				availability: [],
				contactBy: 'phone',
				phone: ''
			})
		);
		expect(empty.ok).toBe(false);
		if (empty.ok) return;
		expect(Object.keys(empty.errors)).toEqual(
			expect.arrayContaining(['serviceAreas', 'dimensions', 'helpWith', 'availability', 'phone'])
		);
		const long = await volunteer(
			ctx.db,
			member,
			await volunteerForm(ctx.db, { helpWith: 'x'.repeat(HELP_WITH_MAX + 1) })
		);
		expect(long.ok ? {} : long.errors).toMatchObject({
			helpWith: expect.stringContaining('1,000 characters or fewer')
		});
		const unknown = await volunteer(
			ctx.db,
			member,
			await volunteerForm(ctx.db, {
				serviceAreas: ['benefit:shared-power'],
				dimensions: ['not-a-dimension'],
				barriers: ['service-area:mental-health']
			})
		);
		expect(unknown.ok ? {} : unknown.errors).toEqual({
			serviceAreas: 'Choose service areas from the list',
			dimensions: 'Choose parts of co-production from the list',
			barriers: 'Choose barriers from the list'
		});
		const badTime = await volunteer(
			ctx.db,
			member,
			await volunteerForm(ctx.db, { availability: ['midnight'] })
		);
		expect(badTime.ok ? {} : badTime.errors).toHaveProperty('availability');
		expect(await myChampion(ctx.db, member)).toBeUndefined();
	});

	it('lists with filters by service area, dimension and availability, a page at a time', async () => {
		const cleo = await curator();
		const vocabulary = await libraryVocabulary(ctx.db);
		const area = vocabulary.serviceAreas[5]!.id;
		const dimension = vocabulary.dimensions[1]!.key;
		const evening = await createTestChampion(ctx.db, cleo, {
			name: 'Eve Evening',
			form: { serviceAreas: [area], dimensions: [dimension], availability: ['evening'] }
		});
		const lunch = await createTestChampion(ctx.db, cleo, {
			name: 'Lu Lunch',
			form: { serviceAreas: [area], availability: ['lunch'] }
		});
		const byArea = await listChampions(ctx.db, { serviceArea: area }, 1);
		expect(byArea.champions.map((c) => c.name).sort()).toEqual(['Eve Evening', 'Lu Lunch']);
		const both = await listChampions(ctx.db, { serviceArea: area, available: 'evening' }, 1);
		expect(both.champions.map((c) => c.id)).toEqual([evening.id]);
		const byDimension = await listChampions(ctx.db, { dimension, serviceArea: area }, 1);
		expect(byDimension.champions.map((c) => c.id)).toEqual([evening.id]);
		// A paused champion is not listed, but keeps a page saying they take no requests now.
		expect(await changeMyChampionStatus(ctx.db, lunch.user, 'pause')).toEqual({
			ok: true,
			status: 'paused'
		});
		expect(
			(await listChampions(ctx.db, { serviceArea: area }, 1)).champions.map((c) => c.id)
		).toEqual([evening.id]);
		expect((await viewChampion(ctx.db, null, lunch.id))?.takingRequests).toBe(false);
		expect(await changeMyChampionStatus(ctx.db, lunch.user, 'resume')).toMatchObject({
			status: 'confirmed'
		});
		expect(parseChampionFilters(new URLSearchParams('available=midnight&area=x'))).toEqual({
			serviceArea: 'x',
			dimension: undefined,
			available: undefined
		});
	});

	it('championsForDimensions: confirmed, active champions who know any of the dimensions', async () => {
		const cleo = await curator();
		const vocabulary = await libraryVocabulary(ctx.db);
		const [first, second, third] = vocabulary.dimensions.slice(-3).map((d) => d.key);
		const knows = await createTestChampion(ctx.db, cleo, {
			name: 'Kim Knows',
			form: { dimensions: [first!, second!] }
		});
		const paused = await createTestChampion(ctx.db, cleo, { form: { dimensions: [first!] } });
		await changeMyChampionStatus(ctx.db, paused.user, 'pause');
		const waiting = await createTestUser(ctx.db);
		await volunteer(ctx.db, waiting, await volunteerForm(ctx.db, { dimensions: [first!] }));
		const found = await championsForDimensions(ctx.db, [first!, third!], 10);
		expect(found.map((f) => f.id)).toContain(knows.id);
		expect(found.map((f) => f.id)).not.toContain(paused.id);
		const kim = found.find((f) => f.id === knows.id)!;
		expect(kim).toMatchObject({ name: 'Kim Knows', path: `/champions/${knows.id}` });
		expect(kim.dimensionKeys.sort()).toEqual([first!, second!].sort());
		expect(await championsForDimensions(ctx.db, [], 10)).toEqual([]);
		expect(await championsForDimensions(ctx.db, [first!], 1)).toHaveLength(1);
	});

	it('a champion’s page shows their published posts, never their contact details', async () => {
		const cleo = await curator();
		const champion = await createTestChampion(ctx.db, cleo, {
			form: { contactBy: 'phone', phone: '07700 900123' }
		});
		await insertTestPost(ctx.db, {
			authorId: champion.user.id,
			title: 'What I learned at the café',
			body: 'Words',
			wordCount: 1,
			publishedAt: new Date(Date.now() - 60_000).toISOString()
		});
		await insertTestPost(ctx.db, {
			authorId: champion.user.id,
			title: 'A draft',
			body: 'Words',
			wordCount: 1,
			status: 'draft',
			publishedAt: null
		});
		const page = await viewChampion(ctx.db, null, champion.id);
		expect(page?.posts.map((p) => p.title)).toEqual(['What I learned at the café']);
		expect(page?.caseStudies).toEqual([]);
		expect(JSON.stringify(page)).not.toContain('07700');
		expect(JSON.stringify(page)).not.toContain(champion.user.email);
	});

	it('reads a page of champions in the same number of queries, however many are on it', async () => {
		const cleo = await curator();
		let queries = 0;
		const counting = ctx.db.withPlugin({
			transformQuery(args) {
				queries++;
				return args.node;
			},
			async transformResult(args) {
				return args.result;
			}
		});
		await createTestChampion(ctx.db, cleo);
		queries = 0;
		await listChampions(counting, {}, 1);
		const few = queries;
		for (let i = 0; i < 5; i++) await createTestChampion(ctx.db, cleo);
		queries = 0;
		const list = await listChampions(counting, {}, 1);
		expect(list.champions.length).toBeGreaterThanOrEqual(6);
		expect(queries).toBe(few);
	});

	it('stepping down hides the champion and their page', async () => {
		const cleo = await curator();
		const champion = await createTestChampion(ctx.db, cleo);
		expect(await changeMyChampionStatus(ctx.db, champion.user, 'step-down')).toMatchObject({
			status: 'stepped-down'
		});
		expect(await viewChampion(ctx.db, null, champion.id)).toBeUndefined();
		expect(await changeMyChampionStatus(ctx.db, champion.user, 'pause')).toEqual({
			ok: false,
			reason: 'not-now'
		});
	});
});

describe('champion filters', () => {
	it('ignores over-long values', () => {
		expect(parseChampionFilters(new URLSearchParams(`area=${'a'.repeat(300)}`)).serviceArea).toBe(
			undefined
		);
	});
});
