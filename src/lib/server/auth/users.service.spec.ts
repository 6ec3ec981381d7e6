import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { SYSTEM_ACTOR } from './auth.permissions';
import { ForbiddenError } from '../refusals';
import { signIn } from './auth.service';
import { accountsFor, mailTo, visitor } from './auth.testing';
import type { SessionUser } from './auth.types';
import { changeUserRole, createUser } from './users.service';

const site = { siteName: 'CoLab Test', origin: 'http://colab.test' };

function asSessionUser(user: { id: string; name: string; email: string; role: string }) {
	return { ...user, emailVerified: true, role: user.role } as SessionUser;
}

describeEachDatabase('people and roles', (ctx) => {
	it('creates a confirmed account with a password that signs in, and emails the person', async () => {
		const result = await createUser(ctx.db, site, SYSTEM_ACTOR, {
			name: 'Root Admin',
			email: 'Root@Example.org',
			role: 'administrator',
			password: 'a strong password'
		});
		expect(result).toMatchObject({
			ok: true,
			user: { email: 'root@example.org', role: 'administrator' }
		});
		expect(
			await signIn(accountsFor(ctx.database), visitor(), {
				email: 'root@example.org',
				password: 'a strong password'
			})
		).toEqual({ ok: true });
		const created = await ctx.db
			.selectFrom('audit_log')
			.select(['actor_name', 'target_id'])
			.where('action', '=', 'user.created')
			.execute();
		expect(created).toEqual([
			{ actor_name: 'Command line', target_id: result.ok ? result.user.id : null }
		]);
		const [mail] = await mailTo(ctx.db, 'root@example.org');
		expect(mail).toMatchObject({ kind: 'auth.account-created' });
		expect(mail!.text_body).toContain('http://colab.test/sign-in');
	});

	it('creates an account without a password, pointing the person at a sign-in link', async () => {
		const result = await createUser(ctx.db, site, SYSTEM_ACTOR, {
			name: 'Link Only',
			email: 'link@example.org',
			role: 'member'
		});
		expect(result.ok).toBe(true);
		const account = await ctx.db
			.selectFrom('auth_account')
			.select('id')
			.where('user_id', '=', result.ok ? result.user.id : '')
			.execute();
		expect(account).toEqual([]);
		const [mail] = await mailTo(ctx.db, 'link@example.org');
		expect(mail!.text_body).toContain('http://colab.test/sign-in/link');
	});

	it('refuses a taken address', async () => {
		expect(
			await createUser(ctx.db, site, SYSTEM_ACTOR, {
				name: 'Again',
				email: 'link@example.org',
				role: 'member'
			})
		).toEqual({ ok: false, reason: 'email-taken' });
	});

	it('refuses members who try to create accounts or change roles', async () => {
		const created = await createUser(ctx.db, site, SYSTEM_ACTOR, {
			name: 'Plain Member',
			email: 'plain@example.org',
			role: 'member'
		});
		if (!created.ok) throw new Error('not created');
		const actor = asSessionUser(created.user);
		await expect(
			createUser(ctx.db, site, actor, { name: 'X', email: 'x@example.org', role: 'member' })
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			changeUserRole(ctx.db, actor, { user: { id: actor.id }, role: 'administrator' })
		).rejects.toBeInstanceOf(ForbiddenError);
		expect(
			(
				await ctx.db
					.selectFrom('app_user')
					.select('role')
					.where('id', '=', actor.id)
					.executeTakeFirstOrThrow()
			).role
		).toBe('member');
	});

	it('lets an administrator change a role, and refuses roles that do not exist', async () => {
		const admin = await ctx.db
			.selectFrom('app_user')
			.selectAll()
			.where('email', '=', 'root@example.org')
			.executeTakeFirstOrThrow();
		const actor = asSessionUser(admin);
		expect(
			await changeUserRole(ctx.db, actor, { user: { email: 'plain@example.org' }, role: 'owner' })
		).toEqual({ ok: false, reason: 'invalid-role' });
		expect(
			await changeUserRole(ctx.db, actor, {
				user: { email: 'nobody@example.org' },
				role: 'curator'
			})
		).toEqual({ ok: false, reason: 'not-found' });
		expect(
			await changeUserRole(ctx.db, actor, { user: { email: 'plain@example.org' }, role: 'curator' })
		).toMatchObject({ ok: true, previousRole: 'member', user: { role: 'curator' } });
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select(['action', 'actor_id', 'detail'])
			.where('action', '=', 'user.role_changed')
			.execute();
		expect(audit).toEqual([
			{
				action: 'user.role_changed',
				actor_id: admin.id,
				detail: JSON.stringify({ from: 'member', to: 'curator' })
			}
		]);
	});

	it('never demotes the last administrator', async () => {
		expect(
			await changeUserRole(ctx.db, SYSTEM_ACTOR, {
				user: { email: 'root@example.org' },
				role: 'member'
			})
		).toEqual({ ok: false, reason: 'last-administrator' });

		await changeUserRole(ctx.db, SYSTEM_ACTOR, {
			user: { email: 'link@example.org' },
			role: 'administrator'
		});
		// Two administrators demoting each other at the same time: only one can win.
		const results = await Promise.all([
			changeUserRole(ctx.db, SYSTEM_ACTOR, { user: { email: 'root@example.org' }, role: 'member' }),
			changeUserRole(ctx.db, SYSTEM_ACTOR, { user: { email: 'link@example.org' }, role: 'member' })
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const admins = await ctx.db
			.selectFrom('app_user')
			.select('email')
			.where('role', '=', 'administrator')
			.execute();
		expect(admins).toHaveLength(1);
	});
});
