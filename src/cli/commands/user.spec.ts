import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../lib/server/testing/databases';
import { cliEnvironment, readCliDatabase, runCliForSpec } from '../cli.testing';

describeEachDatabase('cli user:create and user:role', (ctx) => {
	let setup: ReturnType<typeof cliEnvironment>;
	beforeEach(() => {
		setup = cliEnvironment(ctx);
	});
	afterEach(async () => {
		if (ctx.dialect === 'postgres') {
			await ctx.db.deleteFrom('audit_log').execute();
			await ctx.db.deleteFrom('mail_outbox').execute();
			await ctx.db.deleteFrom('app_user').execute();
		}
		setup.cleanup();
	});

	const people = () =>
		readCliDatabase(ctx, setup.dataDir, (db) =>
			db
				.selectFrom('app_user')
				.leftJoin('auth_account', 'auth_account.user_id', 'app_user.id')
				.select(['email', 'name', 'role', 'email_verified', 'auth_account.password'])
				.orderBy('email')
				.execute()
		);

	it('creates an administrator with a password read from stdin', async () => {
		const run = await runCliForSpec(
			[
				'user:create',
				'--email',
				'Boss@Example.org',
				'--name',
				'The Boss',
				'--role',
				'administrator',
				'--password-stdin'
			],
			setup.env,
			{ stdin: 'a very good password\n' }
		);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('Created administrator The Boss <boss@example.org>.');
		expect(run.stdout).toContain('http://colab.example.test/sign-in');
		const [boss] = await people();
		expect(boss).toMatchObject({
			email: 'boss@example.org',
			name: 'The Boss',
			role: 'administrator'
		});
		expect(Boolean(boss!.email_verified)).toBe(true);
		expect(boss!.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
	});

	it('creates a member without a password, who signs in by emailed link', async () => {
		const run = await runCliForSpec(
			['user:create', '--email', 'm@example.org', '--name', 'Em', '--role', 'member'],
			setup.env
		);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('http://colab.example.test/sign-in/link');
		expect(await people()).toEqual([
			expect.objectContaining({ email: 'm@example.org', role: 'member', password: null })
		]);
		const mail = await readCliDatabase(ctx, setup.dataDir, (db) =>
			db.selectFrom('mail_outbox').select(['to_address', 'kind']).execute()
		);
		expect(mail).toEqual([{ to_address: 'm@example.org', kind: 'auth.account-created' }]);
	});

	it('refuses bad input with exit code 2 and a taken address with 1', async () => {
		const bad = await runCliForSpec(
			['user:create', '--email', 'nope', '--name', 'X', '--role', 'owner'],
			setup.env
		);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('Enter an email address in the right format');
		expect(bad.stderr).toContain('Role must be one of: member, curator, administrator');
		const short = await runCliForSpec(
			[
				'user:create',
				'--email',
				'a@example.org',
				'--name',
				'A',
				'--role',
				'member',
				'--password-stdin'
			],
			setup.env,
			{ stdin: 'short\n' }
		);
		expect(short.code).toBe(2);
		expect(short.stderr).toContain('Password must be at least 10 characters');

		const args = ['user:create', '--email', 'twice@example.org', '--name', 'T', '--role', 'member'];
		expect((await runCliForSpec(args, setup.env)).code).toBe(0);
		const again = await runCliForSpec(args, setup.env);
		expect(again.code).toBe(1);
		expect(again.stderr).toBe('There is already an account for twice@example.org.\n');
	});

	it('changes a role, refuses unknown roles and people, and keeps the last administrator', async () => {
		await runCliForSpec(
			['user:create', '--email', 'a@example.org', '--name', 'Ann', '--role', 'administrator'],
			setup.env
		);
		await runCliForSpec(
			['user:create', '--email', 'b@example.org', '--name', 'Bob', '--role', 'member'],
			setup.env
		);
		const promote = await runCliForSpec(
			['user:role', '--email', 'B@example.org', '--role', 'curator'],
			setup.env
		);
		expect(promote).toEqual({
			code: 0,
			stdout: 'Bob <b@example.org> is now curator (was member).\n',
			stderr: ''
		});
		const invalid = await runCliForSpec(
			['user:role', '--email', 'b@example.org', '--role', 'king'],
			setup.env
		);
		expect(invalid.code).toBe(2);
		expect(invalid.stderr).toContain('Role must be one of: member, curator, administrator.');
		const missing = await runCliForSpec(
			['user:role', '--email', 'nobody@example.org', '--role', 'member'],
			setup.env
		);
		expect(missing.code).toBe(1);
		const last = await runCliForSpec(
			['user:role', '--email', 'a@example.org', '--role', 'member'],
			setup.env
		);
		expect(last.code).toBe(1);
		expect(last.stderr).toContain('only administrator');
		expect((await people()).map((p) => [p.email, p.role])).toEqual([
			['a@example.org', 'administrator'],
			['b@example.org', 'curator']
		]);
		const audit = await readCliDatabase(ctx, setup.dataDir, (db) =>
			db.selectFrom('audit_log').select(['action', 'actor_name']).orderBy('created_at').execute()
		);
		expect(audit.map((a) => a.action)).toEqual([
			'user.created',
			'user.created',
			'user.role_changed'
		]);
		expect(audit.every((a) => a.actor_name === 'Command line')).toBe(true);
	});
});
