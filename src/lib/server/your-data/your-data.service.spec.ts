import type { Kysely } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { listAudit } from '../admin/admin.service';
import { changeRole } from '../auth/users.service';
import { ForbiddenError } from '../refusals';
import {
	readSession,
	requestPasswordReset,
	requestSignInLink,
	signIn,
	signUp,
	verifyEmail,
	type AccountsContext
} from '../auth/auth.service';
import { accountsFor, clientWithCookies, mailTo, tokenFrom, visitor } from '../auth/auth.testing';
import type { SessionUser } from '../auth/auth.types';
import { readContentVersion } from '../cache/content-version';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { describeEachDatabase } from '../testing/databases';
import { wholeDatabase } from '../testing/dump';
import { createTestUser } from '../testing/factories';
import { profile as profileRegistration } from './registrations/profiles';
import {
	deleteAccount,
	deleteMyAccount,
	downloadMyData,
	exportPersonData,
	whatDeletionDoes
} from './your-data.service';

const PASSWORD = 'correct horse battery';
const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

let sequence = 0;
function unique(label: string): string {
	sequence++;
	return `${label}${sequence}${newId()
		.slice(0, 5)
		.replace(/[^a-z0-9]/gi, 'x')}`.toLowerCase();
}

async function insertOrganisation(
	db: Kysely<DB>,
	name: string,
	createdBy: string | null,
	members: Array<{ userId: string; role: 'admin' | 'member'; joinedAt?: string }>
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('organisation')
		.values({
			id,
			slug: unique('org-'),
			name,
			description: `About ${name}`,
			website: null,
			created_by: createdBy,
			created_at: now,
			updated_at: now
		})
		.execute();
	for (const m of members) {
		await db
			.insertInto('organisation_member')
			.values({
				organisation_id: id,
				user_id: m.userId,
				role: m.role,
				joined_at: m.joinedAt ?? now
			})
			.execute();
	}
	return id;
}

async function insertInvite(
	db: Kysely<DB>,
	organisationId: string,
	email: string,
	invitedBy: string | null
): Promise<{ id: string; tokenHash: string }> {
	const id = newId();
	const tokenHash = `hash-${newId()}`;
	await db
		.insertInto('organisation_invite')
		.values({
			id,
			organisation_id: organisationId,
			email,
			role: 'member',
			token_hash: tokenHash,
			invited_by: invitedBy,
			created_at: nowIso(),
			expires_at: new Date(Date.now() + 86_400_000).toISOString(),
			accepted_at: null
		})
		.execute();
	return { id, tokenHash };
}

describeEachDatabase('your data', (ctx) => {
	let memo: AccountsContext | undefined;
	const accounts = () => (memo ??= accountsFor(ctx.database));

	/**
	 * A member who signed up through the real account pages' services, with a session, a
	 * pending sign-in link and reset link, a profile, organisations, invitations, mail and
	 * audit entries: a bit of everything the registry covers.
	 */
	async function fullMember() {
		const email = `${unique('sam')}@example.org`;
		const name = `Sam ${unique('Person')}`;
		await signUp(accounts(), visitor(), { name, email, password: PASSWORD });
		const [confirm] = await mailTo(ctx.db, email);
		await verifyEmail(accounts(), visitor(), tokenFrom(confirm!.text_body, '/verify-email'));
		const { headers } = await accounts().auth.api.signInEmail({
			body: { email, password: PASSWORD },
			returnHeaders: true
		});
		const client = clientWithCookies(headers);
		const session = await readSession(accounts().auth, client.headers);
		if (!session) throw new Error('not signed in');
		const user: SessionUser = session.user;
		await requestSignInLink(accounts(), visitor('192.0.2.50'), { email });
		await requestPasswordReset(accounts(), visitor('192.0.2.51'), { email });

		await ctx.db
			.insertInto('profile')
			.values({
				user_id: user.id,
				bio: `I care for my dad and volunteer at the food bank (${name}).`,
				pronouns: 'they/them',
				show_bio: 1,
				show_pronouns: 0,
				show_organisations: 1,
				show_email: 0,
				updated_at: nowIso()
			})
			.execute();

		const friend = await createTestUser(ctx.db, { name: `Bo ${unique('Friend')}` });
		const ownOrg = await insertOrganisation(ctx.db, `Sam's Carers Group ${sequence}`, user.id, [
			{ userId: user.id, role: 'admin' },
			{ userId: friend.id, role: 'member' }
		]);
		const invitedEmail = `${unique('invitee')}@example.org`;
		const sent = await insertInvite(ctx.db, ownOrg, invitedEmail, user.id);
		const otherOrg = await insertOrganisation(ctx.db, `Food Bank ${sequence}`, friend.id, [
			{ userId: friend.id, role: 'admin' }
		]);
		const received = await insertInvite(ctx.db, otherOrg, email, friend.id);

		const admin = await createTestUser(ctx.db, { role: 'administrator', name: 'Ada Admin' });
		await changeRole(ctx.db, admin, user.id, 'curator');
		await enqueueMail(ctx.db, {
			to: email,
			subject: 'Welcome to the carers exchange',
			text: 'See you on Tuesday.',
			kind: 'events.reminder',
			userId: null
		});

		const sessionToken = (
			await ctx.db
				.selectFrom('auth_session')
				.select('token')
				.where('user_id', '=', user.id)
				.executeTakeFirstOrThrow()
		).token;
		const passwordHash = (
			await ctx.db
				.selectFrom('auth_account')
				.select('password')
				.where('user_id', '=', user.id)
				.executeTakeFirstOrThrow()
		).password!;
		const linkSecrets = (
			await ctx.db
				.selectFrom('auth_verification')
				.select('identifier')
				.where((eb) =>
					eb.or([
						eb('identifier', 'like', 'magic-link:%'),
						eb('identifier', 'like', 'reset-password%')
					])
				)
				.execute()
		).map((r) => r.identifier.split(':')[1]!);
		const mailBodies = (await mailTo(ctx.db, email)).map((m) => m.text_body);

		return {
			user: { ...user, role: 'curator' as const },
			email,
			name,
			client,
			friend,
			admin,
			ownOrg,
			otherOrg,
			invitedEmail,
			sent,
			received,
			secrets: { sessionToken, passwordHash, linkSecrets, mailBodies }
		};
	}

	describe('downloading', () => {
		it('gives everything the person stored, section by section', async () => {
			const sam = await fullMember();
			const data = (await exportPersonData(ctx.db, sam.user.id))!;
			expect(data).toMatchObject({
				format: 'colab-personal-data/1',
				account: { id: sam.user.id, name: sam.name, email: sam.email, role: 'curator' },
				signInMethods: [{ method: 'password', passwordSet: true }],
				profile: {
					bio: `I care for my dad and volunteer at the food bank (${sam.name}).`,
					pronouns: 'they/them'
				},
				organisationsYouCreated: [{ name: expect.stringContaining("Sam's Carers Group") }],
				organisationMemberships: [
					{ organisation: expect.stringContaining("Sam's Carers Group"), role: 'admin' }
				],
				organisationInvitations: {
					sentByYou: [{ email: sam.invitedEmail, role: 'member' }],
					sentToYou: [{ email: sam.email, organisation: expect.stringContaining('Food Bank') }]
				},
				auditLog: [
					{
						by: 'Ada Admin',
						action: 'user.role_changed',
						summary: `Changed the role of ${sam.name} from member to curator`
					}
				]
			});
			expect(Object.keys(data).slice(0, 4)).toEqual(['format', 'exportedAt', 'about', 'account']);
			// Confirming the address signed them in once, and the password once more.
			expect(data.sessions).toEqual([
				expect.objectContaining({ signedInAt: expect.any(String), expiresAt: expect.any(String) }),
				expect.objectContaining({ signedInAt: expect.any(String), expiresAt: expect.any(String) })
			]);
			for (const session of data.sessions as object[]) {
				expect(Object.keys(session).sort()).toEqual([
					'browser',
					'expiresAt',
					'ipAddress',
					'lastUsedAt',
					'signedInAt'
				]);
			}
			expect(
				(data.pendingLinks as Array<{ purpose: string }>).map((l) => l.purpose).sort()
			).toEqual(['password reset link', 'sign-in link']);
			const sentToYou = data.emailsSentToYou as {
				whatWeKeep: string;
				emails: Array<{ subject: string }>;
			};
			expect(sentToYou.whatWeKeep).toMatch(/do not keep the text of an email once it is sent/);
			const subjects = sentToYou.emails.map((m) => m.subject);
			expect(subjects).toContain('Welcome to the carers exchange');
			expect(subjects).toContain('Confirm your email address for CoLab Test');
			// It survives a round trip through JSON unchanged.
			expect(JSON.parse(JSON.stringify(data))).toEqual(data);
		});

		it('never includes passwords, session tokens, link secrets, invitation hashes or other people', async () => {
			const sam = await fullMember();
			const json = JSON.stringify(await exportPersonData(ctx.db, sam.user.id));
			expect(json).not.toContain(sam.secrets.sessionToken);
			expect(json).not.toContain(sam.secrets.passwordHash);
			expect(sam.secrets.linkSecrets.length).toBeGreaterThanOrEqual(2);
			for (const secret of sam.secrets.linkSecrets) expect(json).not.toContain(secret);
			expect(json).not.toContain(sam.sent.tokenHash);
			expect(json).not.toContain(sam.received.tokenHash);
			expect(json).not.toMatch(/token=/);
			// The friend appears only as the organisation they share, not by name or address.
			expect(json).not.toContain(sam.friend.email);
			expect(json).not.toContain(sam.friend.name);
		});

		it('is only for the person themselves', async () => {
			const sam = await createTestUser(ctx.db);
			const other = await createTestUser(ctx.db, { role: 'administrator' });
			expect((await downloadMyData(ctx.db, sam)).account).toMatchObject({ id: sam.id });
			await expect(downloadMyData(ctx.db, null)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(downloadMyData(ctx.db, { system: true })).rejects.toBeInstanceOf(ForbiddenError);
			// Another person (even an administrator) only ever gets their own.
			expect((await downloadMyData(ctx.db, other)).account).toMatchObject({ id: other.id });
			expect(await exportPersonData(ctx.db, 'no-such-person')).toBeUndefined();
		});
	});

	describe('deleting an account', () => {
		it('removes the person everywhere, in one go, and leaves nothing that names them', async () => {
			const sam = await fullMember();
			const versionBefore = await readContentVersion(ctx.db);

			const result = await deleteMyAccount(ctx.db, sam.user, {
				contributions: 'remove',
				site: SITE
			});
			expect(result).toMatchObject({ ok: true });

			const everything = await wholeDatabase(ctx.db);
			expect(everything).not.toContain(sam.user.id);
			expect(everything).not.toContain(sam.email);
			expect(everything).not.toContain(sam.name);
			expect(everything).not.toContain(sam.secrets.sessionToken);
			// Visitors' cached pages are dropped (names may appear on public pages).
			expect(await readContentVersion(ctx.db)).toBe(versionBefore + 1);

			// Invitations they sent stay with the organisation, without their name.
			const sent = await ctx.db
				.selectFrom('organisation_invite')
				.selectAll()
				.where('id', '=', sam.sent.id)
				.executeTakeFirst();
			expect(sent).toMatchObject({ email: sam.invitedEmail, invited_by: null });

			// The audit log still says what happened, but not to or by whom.
			const log = (await listAudit(ctx.db, { perPage: 100 })).items;
			const deleted = log.find((e) => e.action === 'account.deleted')!;
			expect(deleted).toMatchObject({
				actorId: null,
				actorName: 'Former member',
				targetType: 'user',
				targetId: null,
				detail: { contributions: 'remove', rowsChanged: expect.any(Number) }
			});
			const roleChange = log.find(
				(e) => e.action === 'user.role_changed' && e.actorId === sam.admin.id
			)!;
			expect(roleChange).toMatchObject({ targetId: null, targetName: null });
			expect(roleChange.summary).toBe('Changed the role of a former member from member to curator');
		});

		it('means they cannot sign in, their sessions are gone, and their email can sign up again', async () => {
			const sam = await fullMember();
			expect(await readSession(accounts().auth, sam.client.headers)).not.toBeNull();

			await deleteAccount(ctx.db, sam.user.id, { contributions: 'remove', site: SITE });

			expect(await readSession(accounts().auth, sam.client.headers)).toBeNull();
			expect(
				await signIn(accounts(), visitor('192.0.2.60'), { email: sam.email, password: PASSWORD })
			).toEqual({ ok: false, reason: 'wrong-details' });

			expect(
				await signUp(accounts(), visitor('192.0.2.61'), {
					name: 'Sam Again',
					email: sam.email,
					password: 'a brand new password'
				})
			).toEqual({ ok: true });
			const again = await ctx.db
				.selectFrom('app_user')
				.select(['id', 'name', 'role', 'email_verified'])
				.where('email', '=', sam.email)
				.executeTakeFirstOrThrow();
			expect(again.id).not.toBe(sam.user.id);
			expect(again).toMatchObject({ name: 'Sam Again', role: 'member' });
			expect(Boolean(again.email_verified)).toBe(false);
			// A fresh start: nothing of the old account comes back.
			expect(await exportPersonData(ctx.db, again.id)).toMatchObject({
				profile: null,
				organisationMemberships: [],
				auditLog: []
			});
		});

		it('hands an organisation to its longest-standing member when they were its only admin', async () => {
			const sam = await createTestUser(ctx.db);
			const bo = await createTestUser(ctx.db, { name: `Bo ${unique('x')}` });
			const cy = await createTestUser(ctx.db);
			const orgId = await insertOrganisation(ctx.db, 'Carers Together', sam.id, [
				{ userId: sam.id, role: 'admin', joinedAt: '2026-01-01T00:00:00.000Z' },
				{ userId: cy.id, role: 'member', joinedAt: '2026-03-01T00:00:00.000Z' },
				{ userId: bo.id, role: 'member', joinedAt: '2026-02-01T00:00:00.000Z' }
			]);

			await deleteAccount(ctx.db, sam.id, { contributions: 'remove', site: SITE });

			const members = await ctx.db
				.selectFrom('organisation_member')
				.select(['user_id', 'role'])
				.where('organisation_id', '=', orgId)
				.orderBy('joined_at')
				.execute();
			expect(members).toEqual([
				{ user_id: bo.id, role: 'admin' },
				{ user_id: cy.id, role: 'member' }
			]);
			const org = await ctx.db
				.selectFrom('organisation')
				.selectAll()
				.where('id', '=', orgId)
				.executeTakeFirstOrThrow();
			expect(org.created_by).toBeNull();
			const [mail] = await mailTo(ctx.db, bo.email);
			expect(mail).toMatchObject({
				subject: 'You are now an admin of Carers Together',
				kind: 'organisations.admin-handed-over',
				user_id: bo.id
			});
			expect(mail!.text_body).toContain('http://colab.test/organisations/');
			const log = (await listAudit(ctx.db, { perPage: 100 })).items;
			expect(
				log.some((e) => e.action === 'organisation.admin_handed_over' && e.targetId === orgId)
			).toBe(true);
		});

		it('leaves an organisation alone when another admin remains', async () => {
			const sam = await createTestUser(ctx.db);
			const bo = await createTestUser(ctx.db);
			const cy = await createTestUser(ctx.db);
			const orgId = await insertOrganisation(ctx.db, 'Two Admins', bo.id, [
				{ userId: sam.id, role: 'admin' },
				{ userId: bo.id, role: 'admin' },
				{ userId: cy.id, role: 'member' }
			]);
			await deleteAccount(ctx.db, sam.id, { contributions: 'remove', site: SITE });
			const members = await ctx.db
				.selectFrom('organisation_member')
				.select(['user_id', 'role'])
				.where('organisation_id', '=', orgId)
				.execute();
			expect(members.sort((a, b) => a.user_id.localeCompare(b.user_id))).toEqual(
				[
					{ user_id: bo.id, role: 'admin' },
					{ user_id: cy.id, role: 'member' }
				].sort((a, b) => a.user_id.localeCompare(b.user_id))
			);
			expect(await mailTo(ctx.db, cy.email)).toEqual([]);
		});

		it('removes or keeps an organisation they alone belonged to, as they chose', async () => {
			const remover = await createTestUser(ctx.db);
			const keeper = await createTestUser(ctx.db);
			const removed = await insertOrganisation(ctx.db, 'Only Me', remover.id, [
				{ userId: remover.id, role: 'admin' }
			]);
			const pending = await insertInvite(ctx.db, removed, 'someone@example.org', remover.id);
			const kept = await insertOrganisation(ctx.db, 'Only Me Too', keeper.id, [
				{ userId: keeper.id, role: 'admin' }
			]);
			// Created and then left by the keeper, and shared with others: never theirs to remove.
			const other = await createTestUser(ctx.db);
			const shared = await insertOrganisation(ctx.db, 'Shared', remover.id, [
				{ userId: other.id, role: 'admin' }
			]);

			await deleteAccount(ctx.db, remover.id, { contributions: 'remove', site: SITE });
			await deleteAccount(ctx.db, keeper.id, {
				contributions: 'keep-as-former-member',
				site: SITE
			});

			const ids = (await ctx.db.selectFrom('organisation').select('id').execute()).map((r) => r.id);
			expect(ids).not.toContain(removed);
			expect(ids).toContain(kept);
			expect(ids).toContain(shared);
			expect(
				await ctx.db
					.selectFrom('organisation_invite')
					.select('id')
					.where('id', '=', pending.id)
					.execute()
			).toEqual([]);
			const keptRow = await ctx.db
				.selectFrom('organisation')
				.select(['name', 'created_by'])
				.where('id', '=', kept)
				.executeTakeFirstOrThrow();
			expect(keptRow).toEqual({ name: 'Only Me Too', created_by: null });
			expect(
				await ctx.db
					.selectFrom('organisation_member')
					.select('user_id')
					.where('organisation_id', '=', kept)
					.execute()
			).toEqual([]);
		});

		it('changes nothing when any part fails', async () => {
			const sam = await fullMember();
			const before = await wholeDatabase(ctx.db);
			const spy = vi
				.spyOn(profileRegistration, 'erase')
				.mockRejectedValueOnce(new Error('disk full'));
			try {
				await expect(
					deleteAccount(ctx.db, sam.user.id, { contributions: 'remove', site: SITE })
				).rejects.toThrow('disk full');
			} finally {
				spy.mockRestore();
			}
			expect(await wholeDatabase(ctx.db)).toBe(before);
			expect(await readSession(accounts().auth, sam.client.headers)).not.toBeNull();
		});

		it('is only for the person themselves', async () => {
			await expect(
				deleteMyAccount(ctx.db, null, { contributions: 'remove', site: SITE })
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(
				deleteMyAccount(ctx.db, { system: true }, { contributions: 'remove', site: SITE })
			).rejects.toBeInstanceOf(ForbiddenError);
			expect(
				await deleteAccount(ctx.db, 'no-such-person', { contributions: 'remove', site: SITE })
			).toEqual({
				ok: false,
				reason: 'not-found'
			});
		});
	});
});

// Needs to know every administrator, so it has a database of its own.
describeEachDatabase('your data: administrators', (ctx) => {
	it('refuses to delete the last administrator, and allows it when another remains', async () => {
		const only = await createTestUser(ctx.db, { role: 'administrator' });
		expect(await deleteMyAccount(ctx.db, only, { contributions: 'remove', site: SITE })).toEqual({
			ok: false,
			reason: 'last-administrator'
		});
		expect(
			await ctx.db.selectFrom('app_user').select('id').where('id', '=', only.id).execute()
		).toHaveLength(1);

		await createTestUser(ctx.db, { role: 'administrator' });
		expect(
			await deleteMyAccount(ctx.db, only, { contributions: 'remove', site: SITE })
		).toMatchObject({
			ok: true
		});
	});
});

describe('what deletion does', () => {
	it('explains personal data and public contributions separately, in sentences', () => {
		const explained = whatDeletionDoes();
		expect(explained.personal).toContain('Your password is deleted, so nobody can sign in as you.');
		expect(explained.contributions.length).toBeGreaterThan(0);
	});
});
