import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { attendeesCsv, getAttendees, setCheckedIn } from './attendees.service';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import { registerMember } from './registrations.service';

describeEachDatabase('attendee lists', (ctx) => {
	async function eventWithPeople() {
		const { event, host } = await publishedEvent(ctx.db, { capacity: '2' });
		const [ada, bea, cai] = await Promise.all([
			testMember(ctx.db, 'member', '=Ada, "the" carer'),
			testMember(ctx.db, 'member', 'Bea'),
			testMember(ctx.db, 'member', 'Cai')
		]);
		await registerMember(ctx.db, TEST_SITE, ada!, event.id, {
			needs: ['dietary', 'bsl'],
			needDetails: 'Vegan'
		});
		await registerMember(ctx.db, TEST_SITE, bea!, event.id, {
			needs: ['bsl'],
			livedExperience: 'yes'
		});
		await registerMember(ctx.db, TEST_SITE, cai!, event.id, {});
		return { event, host, ada: ada!, bea: bea!, cai: cai! };
	}

	it('gives the host totals, and a name and address only where a need means talking', async () => {
		const { event, host, ada } = await eventWithPeople();
		const list = await getAttendees(ctx.db, host, event.id);
		expect(list?.attendees.map((a) => a.name)).toEqual(['=Ada, "the" carer', 'Bea']);
		expect(list?.waitlist.map((a) => a.name)).toEqual(['Cai']);
		expect(list?.needTotals.filter((t) => t.count).map((t) => [t.need, t.count])).toEqual([
			['bsl', 2],
			['dietary', 1]
		]);
		expect(list?.livedExperience).toBe(1);
		expect(list?.attendees.map((a) => a.contact)).toEqual([
			{ email: ada.email, needs: ['Food for a dietary need'], details: 'Vegan' },
			null
		]);
	});

	it('refuses the list and check-in to anyone but those who run the event', async () => {
		const { event, bea } = await eventWithPeople();
		const other = await testMember(ctx.db);
		await expect(getAttendees(ctx.db, other, event.id)).rejects.toThrow(ForbiddenError);
		await expect(getAttendees(ctx.db, null, event.id)).rejects.toThrow(ForbiddenError);
		const mine = await ctx.db
			.selectFrom('event_registration')
			.select('id')
			.where('user_id', '=', bea.id)
			.executeTakeFirstOrThrow();
		await expect(setCheckedIn(ctx.db, bea, event.id, mine.id, true)).rejects.toThrow(
			ForbiddenError
		);
		const row = await ctx.db
			.selectFrom('event_registration')
			.select('checked_in_at')
			.where('id', '=', mine.id)
			.executeTakeFirstOrThrow();
		expect(row.checked_in_at).toBeNull();
	});

	it('checks people with a place in and out, and nobody else', async () => {
		const { event, host, bea, cai } = await eventWithPeople();
		const idOf = async (userId: string) =>
			(
				await ctx.db
					.selectFrom('event_registration')
					.select('id')
					.where('user_id', '=', userId)
					.executeTakeFirstOrThrow()
			).id;
		const beas = await idOf(bea.id);
		const now = '2030-06-04T17:05:00.000Z';
		expect(await setCheckedIn(ctx.db, host, event.id, beas, true, now)).toEqual({ ok: true });
		expect((await getAttendees(ctx.db, host, event.id))?.checkedIn).toBe(1);
		expect(await setCheckedIn(ctx.db, host, event.id, beas, false, now)).toEqual({ ok: true });
		expect((await getAttendees(ctx.db, host, event.id))?.checkedIn).toBe(0);
		// Someone on the waitlist, or a registration of another event, cannot be checked in.
		expect(await setCheckedIn(ctx.db, host, event.id, await idOf(cai.id), true, now)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await setCheckedIn(ctx.db, host, 'no-such-event', beas, true, now)).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('exports names, places and check-in as CSV, never needs, with formulas defused', async () => {
		const { event, host } = await eventWithPeople();
		const csv = attendeesCsv((await getAttendees(ctx.db, host, event.id))!);
		expect(csv).toBe(
			'Name,Status,Places,Checked in\r\n' +
				`"'=Ada, ""the"" carer",Has a place,1,No\r\n` +
				'Bea,Has a place,1,No\r\n' +
				'Cai,Waitlist,1,No\r\n'
		);
		expect(csv).not.toContain('Vegan');
	});
});
