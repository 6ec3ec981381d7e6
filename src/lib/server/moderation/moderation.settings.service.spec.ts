import { afterEach, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { FIRST_POSTS_WAIT_SETTING, LINK_LIMIT_SETTING } from '../posts/posts.service';
import { deleteSetting, readSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { HIDE_AFTER_REPORTS_SETTING } from './moderation.settings';
import { readTrustSettings, saveTrustSettings } from './moderation.settings.service';

const DEFAULTS = { firstPostsWait: 1, linkLimit: 5, hideAfterReports: 3 };
const KEYS = [FIRST_POSTS_WAIT_SETTING, LINK_LIMIT_SETTING, HIDE_AFTER_REPORTS_SETTING];

describeEachDatabase('moderation settings', (ctx) => {
	// Settings are shared by every spec in the database: each spec starts from the defaults.
	afterEach(async () => {
		for (const key of KEYS) await deleteSetting(ctx.db, key);
	});

	async function auditRows() {
		return ctx.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'settings.moderation_changed')
			.orderBy('created_at')
			.orderBy('id')
			.execute();
	}

	it('shows a curator the defaults when nothing has been chosen', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		expect(await readTrustSettings(ctx.db, curator)).toEqual(DEFAULTS);
	});

	it('lets a curator change them, with an entry in the audit log', async () => {
		const curator = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const before = (await auditRows()).length;
		expect(
			await saveTrustSettings(ctx.db, curator, {
				firstPostsWait: '2',
				linkLimit: '0',
				hideAfterReports: '5'
			})
		).toEqual({ ok: true });
		expect(await readTrustSettings(ctx.db, curator)).toEqual({
			firstPostsWait: 2,
			linkLimit: 0,
			hideAfterReports: 5
		});
		expect(await readSetting(ctx.db, HIDE_AFTER_REPORTS_SETTING)).toBe('5');
		const rows = await auditRows();
		expect(rows).toHaveLength(before + 1);
		expect(rows.at(-1)).toMatchObject({ actor_id: curator.id, actor_name: 'Cleo Curator' });
		expect(JSON.parse(rows.at(-1)!.detail!)).toEqual({
			firstPostsWait: 2,
			linkLimit: 0,
			hideAfterReports: 5
		});
	});

	it('refuses a member, both reading and changing, and changes nothing', async () => {
		const member = await createTestUser(ctx.db);
		await expect(readTrustSettings(ctx.db, member)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			saveTrustSettings(ctx.db, member, {
				firstPostsWait: '0',
				linkLimit: '0',
				hideAfterReports: '1'
			})
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			saveTrustSettings(ctx.db, null, {
				firstPostsWait: '0',
				linkLimit: '0',
				hideAfterReports: '1'
			})
		).rejects.toBeInstanceOf(ForbiddenError);
		for (const key of KEYS) expect(await readSetting(ctx.db, key)).toBeUndefined();
	});

	it('answers bad numbers with a message for each box, and stores nothing', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const result = await saveTrustSettings(ctx.db, curator, {
			firstPostsWait: 'ten',
			linkLimit: '-1',
			hideAfterReports: '0'
		});
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				firstPostsWait: 'Posts that wait must be a whole number from 0 to 100',
				linkLimit: 'Links allowed must be a whole number from 0 to 1,000',
				hideAfterReports: 'At least 1 person’s report must be needed to hide a thing'
			}
		});
		expect(
			(await saveTrustSettings(ctx.db, curator, { firstPostsWait: '', linkLimit: '3' })).ok
		).toBe(false);
		for (const key of KEYS) expect(await readSetting(ctx.db, key)).toBeUndefined();
	});
});
