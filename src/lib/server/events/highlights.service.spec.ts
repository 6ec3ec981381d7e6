import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { closeVote, proposeTopic, writeHarvest } from './cafe.service';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import { latestCafeHarvests, latestTalkProgrammes } from './highlights.service';
import { decideTalk, offerTalk } from './talks.service';

/** Events in specs happen on 4 June 2030. */
const BEFORE = '2030-01-01T12:00:00.000Z';
const AFTER = '2030-07-01T12:00:00.000Z';

describeEachDatabase('home page highlights', (ctx) => {
	it('shows the harvests of past public cafés, as plain text, never an unlisted café’s', async () => {
		const host = await testMember(ctx.db, 'curator', 'Cafe Host');
		expect(await latestCafeHarvests(ctx.db, 2, AFTER)).toEqual([]);
		const cafes = [];
		for (const visibility of ['public', 'unlisted']) {
			const { event } = await publishedEvent(
				ctx.db,
				{ title: `A ${visibility} café`, format: 'knowledge-cafe', visibility },
				host
			);
			for (const title of ['Loneliness', 'Transport', 'Money'])
				expect(await proposeTopic(ctx.db, host, event.id, { title })).toEqual({ ok: true });
			expect(await closeVote(ctx.db, host, event.id, { tables: '3' })).toMatchObject({ ok: true });
			const topics = await ctx.db
				.selectFrom('event_cafe_topic')
				.select(['id', 'title'])
				.where('event_id', '=', event.id)
				.orderBy('title')
				.execute();
			// Two of the three tables write up what they found.
			for (const topic of topics.filter((t) => t.title !== 'Money')) {
				expect(
					await writeHarvest(ctx.db, host, event.id, topic.id, {
						harvest: `- **${topic.title}**: people want to meet\n- and talk more`
					})
				).toEqual({ ok: true });
			}
			cafes.push(event);
		}
		// Before the café has happened, nothing shows.
		expect(await latestCafeHarvests(ctx.db, 2, BEFORE)).toEqual([]);
		const harvests = await latestCafeHarvests(ctx.db, 2, AFTER);
		expect(harvests.map((h) => h.title)).toEqual(['A public café']);
		expect(harvests[0]!.tables.map((t) => t.title).sort()).toEqual(['Loneliness', 'Transport']);
		for (const table of harvests[0]!.tables) {
			expect(table.excerpt).not.toMatch(/\*\*/);
			expect(table.excerpt).toContain('people want to meet');
		}
		expect(harvests[0]!.moreTables).toBe(0);
	});

	it('shows accepted talks in running order: upcoming programmes first, else the latest', async () => {
		const host = await testMember(ctx.db, 'curator', 'Talks Host');
		const { event } = await publishedEvent(
			ctx.db,
			{ title: 'Five-minute ideas', format: 'lightning-talks' },
			host
		);
		expect(await latestTalkProgrammes(ctx.db, 2, BEFORE)).toEqual([]);
		const speakers = [
			await testMember(ctx.db, 'member', 'First Speaker'),
			await testMember(ctx.db, 'member', 'Second Speaker'),
			await testMember(ctx.db, 'member', 'Declined Speaker')
		];
		const ids: string[] = [];
		for (const [i, speaker] of speakers.entries()) {
			expect(
				await offerTalk(ctx.db, speaker, event.id, { title: `Talk ${i + 1}`, summary: 'Ideas.' })
			).toEqual({ ok: true });
			const row = await ctx.db
				.selectFrom('event_talk')
				.select('id')
				.where('speaker_id', '=', speaker.id)
				.executeTakeFirstOrThrow();
			ids.push(row.id);
		}
		// Offered but not yet decided: no programme yet.
		expect(await latestTalkProgrammes(ctx.db, 2, BEFORE)).toEqual([]);
		for (const [i, id] of ids.entries()) {
			const decision = i === 2 ? 'decline' : 'accept';
			expect(await decideTalk(ctx.db, TEST_SITE, host, event.id, id, { decision })).toMatchObject({
				ok: true
			});
		}
		const upcoming = await latestTalkProgrammes(ctx.db, 2, BEFORE);
		expect(upcoming.map((p) => p.title)).toEqual(['Five-minute ideas']);
		expect(upcoming[0]!.talks.map((t) => [t.title, t.speaker])).toEqual([
			['Talk 1', 'First Speaker'],
			['Talk 2', 'Second Speaker']
		]);
		// After it, it is still the latest programme.
		expect((await latestTalkProgrammes(ctx.db, 2, AFTER)).map((p) => p.title)).toEqual([
			'Five-minute ideas'
		]);
	});
});
