import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { readAuditEntries, recordAudit, summariseAuditEntry } from './audit.service';

describeEachDatabase('audit log', (ctx) => {
	it('lets other features record entries in their own transaction, and rolls back with it', async () => {
		const admin = await createTestUser(ctx.db, { role: 'administrator', name: 'Feature Admin' });
		await ctx.db.transaction().execute(async (trx) => {
			await recordAudit(trx, {
				actor: admin,
				action: 'organisation.removed',
				target: { type: 'organisation', id: 'org-1' },
				detail: { members: 3 }
			});
		});
		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await recordAudit(trx, { actor: admin, action: 'organisation.renamed' });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');

		const actions = (await readAuditEntries(ctx.db, { limit: 100, offset: 0 })).rows.map(
			(e) => e.action
		);
		expect(actions).toContain('organisation.removed');
		expect(actions).not.toContain('organisation.renamed');
		const removed = (await readAuditEntries(ctx.db, { limit: 100, offset: 0 })).rows.find(
			(e) => e.action === 'organisation.removed'
		);
		expect(removed).toMatchObject({ detail: { members: 3 }, targetName: null });
	});

	it('refuses detail that looks like a secret, and badly named actions', async () => {
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		await expect(
			recordAudit(ctx.db, { actor: admin, action: 'user.created', detail: { password: 'x' } })
		).rejects.toThrow(/secrets/);
		await expect(
			recordAudit(ctx.db, {
				actor: admin,
				action: 'user.created',
				detail: { sent: { resetToken: 'x' } }
			})
		).rejects.toThrow(/secrets/);
		await expect(recordAudit(ctx.db, { actor: admin, action: 'Changed stuff' })).rejects.toThrow(
			/thing.verbed/
		);
	});
});

describe('summariseAuditEntry', () => {
	it('says what happened to the email updates list, with counts only', () => {
		const entry = (action: string, detail: Record<string, unknown>) =>
			summariseAuditEntry({ action, targetType: null, targetName: null, detail });
		expect(entry('updates.imported', { imported: 1, rejected: 2, skipped: 0 })).toBe(
			'Imported email update subscribers: 1 person imported, 2 lines with a mistake, 0 lines left out'
		);
		expect(entry('updates.exported', { rows: 1200 })).toBe(
			'Downloaded the email update subscribers (1,200 rows)'
		);
		expect(entry('updates.address_blocked', { subscribers: 1 })).toBe(
			'Blocked an address from email updates'
		);
	});

	it('says what happened in plain English, also when the person has gone', () => {
		expect(
			summariseAuditEntry({
				action: 'user.role_changed',
				targetType: 'user',
				targetName: 'Sam',
				detail: { from: 'member', to: 'administrator' }
			})
		).toBe('Changed the role of Sam from member to administrator');
		expect(
			summariseAuditEntry({
				action: 'user.role_changed',
				targetType: 'user',
				targetName: null,
				detail: { from: 'curator', to: 'member' }
			})
		).toBe('Changed the role of a former member from curator to member');
		expect(
			summariseAuditEntry({
				action: 'user.created',
				targetType: 'user',
				targetName: 'Cy',
				detail: { role: 'curator', signIn: 'password' }
			})
		).toBe('Created an account for Cy as curator');
		expect(
			summariseAuditEntry({
				action: 'organisation.removed',
				targetType: 'organisation',
				targetName: null,
				detail: {}
			})
		).toBe('organisation.removed (organisation)');
	});
});
