import { expect, it } from 'vitest';
import { readContentVersion } from '../cache/content-version';
import { readSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { publishedEvent } from './events.testing';
import { refreshEventSummaries, SUMMARY_FORMAT, SUMMARY_FORMAT_SETTING } from './summaries';

// Summaries are stored when an event is saved. When the way they are made changes (issue 11,
// bug 13: list items ran together as " - "), the events worker makes every stored one again,
// once, so events saved before the change read well too without being edited.
describeEachDatabase('refreshing event summaries', (ctx) => {
	it('makes summaries saved the old way again, once, in pages, and refreshes cached pages', async () => {
		const description = 'We will:\n\n- share what works\n- plan the next steps';
		const events = [];
		for (let i = 0; i < 5; i++) {
			events.push((await publishedEvent(ctx.db, { description })).event);
		}
		// As an older CoLab stored them.
		await ctx.db
			.updateTable('event')
			.set({ summary: 'We will: - share what works - plan the next steps' })
			.where(
				'id',
				'in',
				events.map((e) => e.id)
			)
			.execute();
		await ctx.db.deleteFrom('instance_setting').where('key', '=', SUMMARY_FORMAT_SETTING).execute();
		const version = await readContentVersion(ctx.db);

		expect(await refreshEventSummaries(ctx.db, 2)).toBeGreaterThanOrEqual(5);
		const rows = await ctx.db
			.selectFrom('event')
			.select('summary')
			.where(
				'id',
				'in',
				events.map((e) => e.id)
			)
			.execute();
		expect(rows.map((r) => r.summary)).toEqual(
			Array(5).fill('We will: share what works; plan the next steps')
		);
		expect(await readSetting(ctx.db, SUMMARY_FORMAT_SETTING)).toBe(SUMMARY_FORMAT);
		expect(await readContentVersion(ctx.db)).toBe(version + 1);

		// Once done, later rounds change nothing, even a summary someone set by hand.
		await ctx.db
			.updateTable('event')
			.set({ summary: 'left alone' })
			.where('id', '=', events[0]!.id)
			.execute();
		expect(await refreshEventSummaries(ctx.db)).toBe(0);
	});
});
