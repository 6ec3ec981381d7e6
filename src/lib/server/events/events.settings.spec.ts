import { afterEach, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { ForbiddenError } from '../refusals';
import type { FormValues } from '../forms';
import { deleteSetting, readSetting, writeSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { readEventSettings, saveEventSettings } from './events.settings';
import { APPROVE_FIRST_EVENT_SETTING, createEvent } from './events.service';
import { eventValues, publishedEvent, testMember, TEST_SITE } from './events.testing';
import {
	CLAIM_WINDOW_SETTING,
	cancelRegistration,
	claimWindowMs,
	registerMember
} from './registrations.service';

const HOUR = 60 * 60 * 1000;
const DEFAULTS = { approveFirstEvent: true, claimWindowHours: 24 };

describeEachDatabase('event settings', (ctx) => {
	// Settings are shared by every spec in the database: each spec starts from the defaults.
	afterEach(async () => {
		await deleteSetting(ctx.db, APPROVE_FIRST_EVENT_SETTING);
		await deleteSetting(ctx.db, CLAIM_WINDOW_SETTING);
	});

	async function storedSettings() {
		return {
			approve: await readSetting(ctx.db, APPROVE_FIRST_EVENT_SETTING),
			window: await readSetting(ctx.db, CLAIM_WINDOW_SETTING)
		};
	}

	async function auditRows() {
		return ctx.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'settings.events_changed')
			.orderBy('created_at')
			.orderBy('id')
			.execute();
	}

	it('reads the defaults when nothing has been chosen', async () => {
		expect(await storedSettings()).toEqual({ approve: undefined, window: undefined });
		expect(await readEventSettings(ctx.db)).toEqual(DEFAULTS);
	});

	it('reads the defaults in place of values that make no sense', async () => {
		await writeSetting(ctx.db, APPROVE_FIRST_EVENT_SETTING, 'perhaps');
		for (const junk of ['0', '-5', 'abc', '']) {
			await writeSetting(ctx.db, CLAIM_WINDOW_SETTING, junk);
			expect(await readEventSettings(ctx.db)).toEqual(DEFAULTS);
		}
	});

	it('lets an administrator change them, with an entry in the audit log', async () => {
		const admin = await testMember(ctx.db, 'administrator', 'Ada Admin');
		const before = (await auditRows()).length;
		expect(
			await saveEventSettings(ctx.db, admin, { approveFirstEvent: 'off', claimWindowHours: '48' })
		).toEqual({ ok: true });
		expect(await readEventSettings(ctx.db)).toEqual({
			approveFirstEvent: false,
			claimWindowHours: 48
		});
		expect(await storedSettings()).toEqual({ approve: 'off', window: '48' });

		const rows = await auditRows();
		expect(rows).toHaveLength(before + 1);
		const entry = rows.at(-1)!;
		expect(entry).toMatchObject({
			actor_id: admin.id,
			actor_name: 'Ada Admin',
			action: 'settings.events_changed',
			target_type: null,
			target_id: null
		});
		expect(JSON.parse(entry.detail!)).toEqual({ approveFirstEvent: 'off', claimWindowHours: 48 });

		// And back, with spaces around the number forgiven; the limits themselves are allowed.
		expect(
			await saveEventSettings(ctx.db, admin, { approveFirstEvent: 'on', claimWindowHours: ' 12 ' })
		).toEqual({ ok: true });
		expect(await readEventSettings(ctx.db)).toEqual({
			approveFirstEvent: true,
			claimWindowHours: 12
		});
		for (const hours of ['1', '168']) {
			expect(
				await saveEventSettings(ctx.db, admin, { approveFirstEvent: 'on', claimWindowHours: hours })
			).toEqual({ ok: true });
			expect((await readEventSettings(ctx.db)).claimWindowHours).toBe(Number(hours));
		}
		expect(await auditRows()).toHaveLength(before + 4);
	});

	it('lets the command line change them', async () => {
		const bySystem = async () => (await auditRows()).filter((r) => r.actor_id === null).length;
		const before = await bySystem();
		expect(
			await saveEventSettings(ctx.db, SYSTEM_ACTOR, {
				approveFirstEvent: 'on',
				claimWindowHours: '6'
			})
		).toEqual({ ok: true });
		expect((await readEventSettings(ctx.db)).claimWindowHours).toBe(6);
		// Recorded with no person (rows written in the same millisecond have no set order).
		expect(await bySystem()).toBe(before + 1);
	});

	it('refuses curators, members and visitors, changing nothing', async () => {
		const values = { approveFirstEvent: 'off', claimWindowHours: '2' };
		const before = (await auditRows()).length;
		for (const role of ['curator', 'member'] as const) {
			const person = await testMember(ctx.db, role);
			await expect(saveEventSettings(ctx.db, person, values)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		await expect(saveEventSettings(ctx.db, null, values)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(saveEventSettings(ctx.db, undefined, values)).rejects.toThrow(
			'Only administrators can change settings.'
		);
		expect(await storedSettings()).toEqual({ approve: undefined, window: undefined });
		expect(await readEventSettings(ctx.db)).toEqual(DEFAULTS);
		expect(await auditRows()).toHaveLength(before);
	});

	it('explains a number of hours that will not do, changing nothing', async () => {
		const admin = await testMember(ctx.db, 'administrator');
		const before = (await auditRows()).length;
		const cases: Array<[string | undefined, string]> = [
			['0', 'Give people at least 1 hour'],
			['169', 'Give people at most 168 hours (a week)'],
			['x', 'Hours to take a place must be a whole number from 1 to 168'],
			['1.5', 'Hours to take a place must be a whole number from 1 to 168'],
			['-3', 'Give people at least 1 hour'],
			['', 'Enter a number of hours'],
			[undefined, 'Enter a number of hours']
		];
		for (const [hours, message] of cases) {
			const values: FormValues = { approveFirstEvent: 'off' };
			if (hours !== undefined) values.claimWindowHours = hours;
			expect(await saveEventSettings(ctx.db, admin, values)).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { claimWindowHours: message }
			});
		}
		expect(await storedSettings()).toEqual({ approve: undefined, window: undefined });
		expect(await auditRows()).toHaveLength(before);
	});

	it('explains a yes-or-no answer that is neither, changing nothing', async () => {
		const admin = await testMember(ctx.db, 'administrator');
		const cases: FormValues[] = [
			{ approveFirstEvent: 'maybe', claimWindowHours: '24' },
			{ approveFirstEvent: 'true', claimWindowHours: '24' },
			{ claimWindowHours: '24' }
		];
		for (const values of cases) {
			const result = await saveEventSettings(ctx.db, admin, values);
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { approveFirstEvent: 'Choose yes or no' }
			});
		}
		expect(await storedSettings()).toEqual({ approve: undefined, window: undefined });
	});

	it('holds freed places for the chosen number of hours', async () => {
		const admin = await testMember(ctx.db, 'administrator');
		const starts = '2030-06-04T17:00:00.000Z';
		const now = new Date(Date.parse(starts) - 3 * 24 * HOUR).toISOString();
		expect(await claimWindowMs(ctx.db, starts, now)).toBe(24 * HOUR);
		expect(
			await saveEventSettings(ctx.db, admin, { approveFirstEvent: 'on', claimWindowHours: '2' })
		).toEqual({ ok: true });
		expect(await claimWindowMs(ctx.db, starts, now)).toBe(2 * HOUR);

		// An offer made now is held for two hours.
		const { event } = await publishedEvent(ctx.db, { capacity: '1' });
		expect(event.starts_at).toBe(starts);
		const [holder, waiting] = await Promise.all([1, 2].map(() => testMember(ctx.db)));
		const held = await registerMember(ctx.db, TEST_SITE, holder!, event.id, {});
		const queued = await registerMember(ctx.db, TEST_SITE, waiting!, event.id, {});
		if (!held.ok || !queued.ok) throw new Error('setup failed');
		await cancelRegistration(
			ctx.db,
			TEST_SITE,
			{ member: holder!, registrationId: held.registration.id },
			now
		);
		const offer = await ctx.db
			.selectFrom('event_registration')
			.select(['status', 'offer_expires_at'])
			.where('id', '=', queued.registration.id)
			.executeTakeFirstOrThrow();
		expect(offer).toEqual({
			status: 'offered',
			offer_expires_at: new Date(Date.parse(now) + 2 * HOUR).toISOString()
		});
	});

	it('approves a member’s first event at once when administrators say so', async () => {
		const admin = await testMember(ctx.db, 'administrator');
		const first = await createEvent(ctx.db, TEST_SITE, await testMember(ctx.db), eventValues());
		expect(first.ok && first.event.approval).toBe('pending');

		expect(
			await saveEventSettings(ctx.db, admin, { approveFirstEvent: 'off', claimWindowHours: '24' })
		).toEqual({ ok: true });
		const member = await testMember(ctx.db);
		const created = await createEvent(ctx.db, TEST_SITE, member, eventValues());
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(created.event.approval).toBe('approved');
	});
});
