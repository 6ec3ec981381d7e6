import { afterEach, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { pageCache } from '../cache/page-cache';
import { readContentVersion } from '../cache/content-version';
import { ForbiddenError } from '../refusals';
import { deleteSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { canChangeContactDetails } from './admin.permissions';
import { readContactDetails, saveContactDetails } from './contact.service';

const NONE = { email: null, phone: null, address: null };
const GOOD = {
	contactEmail: '  Help@Riverside.example ',
	contactPhone: '020 7946 0000',
	contactAddress: 'Riverside CoLab\r\n1 High Street\r\nTownley TL1 2AB'
};

describeEachDatabase('contact details', (ctx) => {
	afterEach(async () => {
		for (const key of ['contact.email', 'contact.phone', 'contact.address'])
			await deleteSetting(ctx.db, key);
		pageCache().invalidate();
	});

	it('are only changed by administrators (and the command line)', async () => {
		const member = await createTestUser(ctx.db, { role: 'member' });
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		expect(canChangeContactDetails(null)).toBe(false);
		expect(canChangeContactDetails(member)).toBe(false);
		expect(canChangeContactDetails(curator)).toBe(false);
		expect(canChangeContactDetails(admin)).toBe(true);
		expect(canChangeContactDetails(SYSTEM_ACTOR)).toBe(true);

		for (const actor of [null, member, curator]) {
			await expect(saveContactDetails(ctx.db, actor, GOOD)).rejects.toThrow(ForbiddenError);
		}
		expect(await readContactDetails(ctx.db)).toEqual(NONE);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('id')
			.where('action', '=', 'settings.contact_changed')
			.execute();
		expect(audit).toHaveLength(0);
	});

	it('are saved tidied, shown to every page at once, and in the audit log', async () => {
		const admin = await createTestUser(ctx.db, { role: 'administrator', name: 'Ada Admin' });
		expect(await readContactDetails(ctx.db)).toEqual(NONE);
		const before = await readContentVersion(ctx.db);
		const generation = pageCache().generation;

		const result = await saveContactDetails(ctx.db, admin, GOOD);
		const saved = {
			email: 'help@riverside.example',
			phone: '020 7946 0000',
			address: 'Riverside CoLab\n1 High Street\nTownley TL1 2AB'
		};
		expect(result).toEqual({ ok: true, details: saved });
		expect(await readContactDetails(ctx.db)).toEqual(saved);
		// Every page shows them, so cached pages are dropped here and on other instances.
		expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
		expect(pageCache().generation).toBeGreaterThan(generation);

		const audit = await ctx.db
			.selectFrom('audit_log')
			.select(['actor_id', 'detail'])
			.where('action', '=', 'settings.contact_changed')
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]!.actor_id).toBe(admin.id);
		expect(JSON.parse(String(audit[0]!.detail))).toEqual({
			email: true,
			phone: true,
			address: true
		});

		// An empty box stops showing that part.
		await saveContactDetails(ctx.db, admin, { ...GOOD, contactPhone: ' ', contactAddress: '' });
		expect(await readContactDetails(ctx.db)).toEqual({ ...NONE, email: saved.email });
		await saveContactDetails(ctx.db, admin, {});
		expect(await readContactDetails(ctx.db)).toEqual(NONE);
	});

	it('refuses what is not an email address or a phone number, or too long, and keeps the rest', async () => {
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		const result = await saveContactDetails(ctx.db, admin, {
			contactEmail: 'help at riverside',
			contactPhone: 'call us',
			contactAddress: 'x'.repeat(501)
		});
		expect(result).toEqual({
			ok: false,
			errors: {
				contactEmail: 'Enter the email address in the right format, like help@example.org',
				contactPhone:
					'Enter a phone number with digits only, like 020 7946 0000 or +44 20 7946 0000',
				contactAddress: 'The postal address must be 500 characters or fewer'
			}
		});
		expect(await readContactDetails(ctx.db)).toEqual(NONE);
		expect(
			(await saveContactDetails(ctx.db, admin, { contactPhone: '+44 (0)20 7946-0000' })).ok
		).toBe(true);
	});
});
