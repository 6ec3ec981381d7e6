import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import { readContentVersion } from '../cache/content-version';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { updateProfile } from '../profiles/profiles.service';
import {
	INVITE_LIFETIME_DAYS,
	INVITE_RATE_LIMIT,
	acceptInvite,
	cancelInvite,
	changeMemberRole,
	createOrganisation,
	getMembersForAdmins,
	getOrganisationForEditing,
	hashInviteToken,
	inviteToOrganisation,
	leaveOrganisation,
	listOrganisations,
	mayRepresentOrganisation,
	organisationsActorMayRepresent,
	removeMember,
	slugify,
	updateOrganisation,
	viewInvite,
	viewOrganisation
} from './organisations.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };
const DAY = 24 * 60 * 60 * 1000;

const details = (name: string) => ({
	name,
	description: `${name} supports unpaid carers across the borough.`,
	website: 'www.example.org'
});

describe('slugify', () => {
	it('makes readable, safe addresses from names', () => {
		expect(slugify('Carers’ Trust & Friends')).toBe('carers-trust-and-friends');
		expect(slugify('  Café Société  ')).toBe('cafe-societe');
		expect(slugify('NHS   Trust!!')).toBe('nhs-trust');
		expect(slugify('***')).toBe('organisation');
		expect(slugify('a'.repeat(80))).toHaveLength(60);
	});
});

describeEachDatabase('organisations', (ctx) => {
	async function person(
		overrides: Parameters<typeof createTestUser>[1] = {}
	): Promise<SessionUser> {
		return createTestUser(ctx.db, overrides);
	}

	async function organisationWithAdmin(name = 'Borough Carers') {
		const admin = await person();
		const result = await createOrganisation(ctx.db, admin, details(name));
		if (!result.ok) throw new Error('could not create organisation');
		return { admin, organisation: result.organisation };
	}

	/** Invites `email` and returns the token from the emailed link. */
	async function invite(
		admin: SessionUser,
		organisationId: string,
		email: string,
		role: 'admin' | 'member' = 'member',
		now = new Date()
	): Promise<string> {
		const result = await inviteToOrganisation(
			ctx.db,
			SITE,
			admin,
			organisationId,
			{ email, role },
			now
		);
		if (!result.ok) throw new Error(`invite failed: ${JSON.stringify(result)}`);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('to_address', '=', email.toLowerCase())
			.orderBy('created_at', 'desc')
			.executeTakeFirstOrThrow();
		const match = /\/organisations\/invites\/([A-Za-z0-9_-]+)/.exec(mail.text_body);
		if (!match?.[1]) throw new Error(`no invitation link in:\n${mail.text_body}`);
		return match[1];
	}

	describe('creating', () => {
		it('creates an organisation with its creator as the first admin, and tells the page cache', async () => {
			const sam = await person({ name: 'Sam' });
			const before = await readContentVersion(ctx.db);
			const result = await createOrganisation(ctx.db, sam, details('Riverside Carers Charity'));
			expect(result.ok).toBe(true);
			if (!result.ok) return;
			expect(result.organisation).toMatchObject({
				slug: 'riverside-carers-charity',
				name: 'Riverside Carers Charity',
				website: 'https://www.example.org/',
				created_by: sam.id
			});
			expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
			const mine = await organisationsActorMayRepresent(ctx.db, sam.id);
			expect(mine).toEqual([
				{
					id: result.organisation.id,
					slug: 'riverside-carers-charity',
					name: 'Riverside Carers Charity',
					role: 'admin'
				}
			]);
		});

		it('gives organisations with the same name different addresses, never a page’s', async () => {
			const sam = await person();
			const first = await createOrganisation(ctx.db, sam, details('Same Name'));
			const second = await createOrganisation(ctx.db, sam, details('Same Name'));
			const third = await createOrganisation(ctx.db, sam, details('New'));
			expect([first, second, third].map((r) => (r.ok ? r.organisation.slug : r))).toEqual([
				'same-name',
				'same-name-2',
				'new-2'
			]);
		});

		it('refuses a visitor', async () => {
			await expect(createOrganisation(ctx.db, null, details('Nope'))).rejects.toBeInstanceOf(
				ForbiddenError
			);
		});

		it('explains what to fix, and refuses web addresses that are not http or https', async () => {
			const sam = await person();
			const result = await createOrganisation(ctx.db, sam, {
				name: '  ',
				description: '',
				website: 'javascript:alert(1)'
			});
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: {
					name: 'Enter the organisation’s name',
					description: 'Say what the organisation does',
					website: 'Web address must start with http:// or https://'
				}
			});
			for (const website of ['data:text/html,hi', 'not a url', 'http://localhost', 'ftp://x.org'])
				expect(
					(await createOrganisation(ctx.db, sam, { ...details('X'), website })).ok,
					website
				).toBe(false);
		});
	});

	describe('editing', () => {
		it('lets its admins change its details', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const result = await updateOrganisation(ctx.db, admin, organisation.id, {
				name: 'Borough Carers Network',
				description: 'Now a network.',
				website: ''
			});
			expect(result).toMatchObject({
				ok: true,
				organisation: { name: 'Borough Carers Network', website: null, slug: organisation.slug }
			});
			const view = await viewOrganisation(ctx.db, null, organisation.slug);
			expect(view?.organisation.description).toBe('Now a network.');
		});

		it('refuses its ordinary members and outsiders, but lets site administrators step in', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const member = await person();
			await acceptInvite(ctx.db, member, await invite(admin, organisation.id, member.email));
			const outsider = await person();
			for (const actor of [member, outsider, null]) {
				await expect(
					updateOrganisation(ctx.db, actor, organisation.id, details('Taken over'))
				).rejects.toBeInstanceOf(ForbiddenError);
				await expect(
					getOrganisationForEditing(ctx.db, actor, organisation.slug)
				).rejects.toBeInstanceOf(ForbiddenError);
			}
			const siteAdmin = await person({ role: 'administrator' });
			expect(
				(await updateOrganisation(ctx.db, siteAdmin, organisation.id, details('Fixed'))).ok
			).toBe(true);
			expect((await viewOrganisation(ctx.db, null, organisation.slug))?.organisation.name).toBe(
				'Fixed'
			);
		});

		it('says when the organisation does not exist', async () => {
			const sam = await person();
			expect(await updateOrganisation(ctx.db, sam, 'no-such-id', details('X'))).toEqual({
				ok: false,
				reason: 'not-found'
			});
			expect(await viewOrganisation(ctx.db, sam, 'no-such-slug')).toBeUndefined();
		});
	});

	describe('invitations', () => {
		it('emails a link whose token is stored only as a hash; the right person joins with that role', async () => {
			const { admin, organisation } = await organisationWithAdmin('Council Team');
			const colleague = await person({ email: 'colleague@example.test' });
			const token = await invite(admin, organisation.id, 'Colleague@Example.test', 'admin');

			const stored = await ctx.db
				.selectFrom('organisation_invite')
				.selectAll()
				.where('organisation_id', '=', organisation.id)
				.executeTakeFirstOrThrow();
			expect(stored.email).toBe('colleague@example.test');
			expect(stored.token_hash).toBe(hashInviteToken(token));
			expect(JSON.stringify(stored)).not.toContain(token);
			expect(new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime()).toBe(
				INVITE_LIFETIME_DAYS * DAY
			);
			const mail = await ctx.db
				.selectFrom('mail_outbox')
				.selectAll()
				.where('to_address', '=', 'colleague@example.test')
				.executeTakeFirstOrThrow();
			expect(mail.subject).toBe('You are invited to join Council Team on CoLab Test');
			expect(mail.kind).toBe('organisations.invite');
			expect(mail.user_id).toBe(colleague.id);
			expect(mail.text_body).toContain(`http://colab.test/organisations/invites/${token}`);

			expect(await viewInvite(ctx.db, colleague, token)).toMatchObject({
				state: 'open',
				role: 'admin',
				forViewer: true,
				viewerIsMember: false,
				organisation: { name: 'Council Team' }
			});
			expect(await acceptInvite(ctx.db, colleague, token)).toEqual({
				ok: true,
				organisation: { slug: organisation.slug, name: 'Council Team' }
			});
			expect(await organisationsActorMayRepresent(ctx.db, colleague.id)).toMatchObject([
				{ id: organisation.id, role: 'admin' }
			]);
			expect(await mayRepresentOrganisation(ctx.db, colleague.id, organisation.id)).toBe(true);
		});

		it('works only once', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const colleague = await person();
			const token = await invite(admin, organisation.id, colleague.email);
			expect((await acceptInvite(ctx.db, colleague, token)).ok).toBe(true);
			expect(await acceptInvite(ctx.db, colleague, token)).toEqual({ ok: false, reason: 'used' });
			expect((await viewInvite(ctx.db, colleague, token))?.state).toBe('used');
		});

		it('expires after 14 days', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const colleague = await person();
			const sent = new Date();
			const token = await invite(admin, organisation.id, colleague.email, 'member', sent);
			const later = new Date(sent.getTime() + INVITE_LIFETIME_DAYS * DAY + 1000);
			expect((await viewInvite(ctx.db, colleague, token, later))?.state).toBe('expired');
			expect(await acceptInvite(ctx.db, colleague, token, later)).toEqual({
				ok: false,
				reason: 'expired'
			});
			expect(await mayRepresentOrganisation(ctx.db, colleague.id, organisation.id)).toBe(false);
		});

		it('refuses anyone signed in with a different or unconfirmed address', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const invited = await person({ email: 'invited@example.test', emailVerified: false });
			const someoneElse = await person();
			const siteAdmin = await person({ role: 'administrator' });
			const token = await invite(admin, organisation.id, invited.email);
			for (const actor of [someoneElse, siteAdmin, invited])
				expect(await acceptInvite(ctx.db, actor, token)).toEqual({
					ok: false,
					reason: 'wrong-person'
				});
			expect((await viewInvite(ctx.db, someoneElse, token))?.forViewer).toBe(false);
			await expect(acceptInvite(ctx.db, null, token)).rejects.toBeInstanceOf(ForbiddenError);
			// Still usable by the right person once their address is confirmed.
			expect((await acceptInvite(ctx.db, { ...invited, emailVerified: true }, token)).ok).toBe(
				true
			);
		});

		it('says when a link was never sent', async () => {
			const sam = await person();
			expect(await viewInvite(ctx.db, sam, 'made-up-token')).toBeUndefined();
			expect(await acceptInvite(ctx.db, sam, 'made-up-token')).toEqual({
				ok: false,
				reason: 'not-found'
			});
		});

		it('replaces an earlier invitation to the same address, and can be withdrawn', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const colleague = await person();
			const first = await invite(admin, organisation.id, colleague.email);
			const second = await invite(admin, organisation.id, colleague.email);
			expect(await viewInvite(ctx.db, colleague, first)).toBeUndefined();
			const view = await getMembersForAdmins(ctx.db, admin, organisation.slug);
			expect(view?.invites.map((i) => i.email)).toEqual([colleague.email]);
			const cancelled = await cancelInvite(ctx.db, admin, organisation.id, {
				inviteId: view?.invites[0]?.id
			});
			expect(cancelled).toEqual({ ok: true, email: colleague.email });
			expect(await acceptInvite(ctx.db, colleague, second)).toEqual({
				ok: false,
				reason: 'not-found'
			});
		});

		it('refuses to invite someone who is already a member', async () => {
			const { admin, organisation } = await organisationWithAdmin('Already Here');
			const result = await inviteToOrganisation(ctx.db, SITE, admin, organisation.id, {
				email: admin.email,
				role: 'member'
			});
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { email: `${admin.email} is already a member of Already Here` }
			});
		});

		it('explains a bad address or role', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const result = await inviteToOrganisation(ctx.db, SITE, admin, organisation.id, {
				email: 'not-an-email',
				role: 'owner'
			});
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: {
					email: 'Enter an email address in the right format, like name@example.com',
					role: 'Choose admin or member'
				}
			});
		});

		it('refuses ordinary members, outsiders and visitors', async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const member = await person();
			await acceptInvite(ctx.db, member, await invite(admin, organisation.id, member.email));
			for (const actor of [member, await person(), null]) {
				await expect(
					inviteToOrganisation(ctx.db, SITE, actor, organisation.id, {
						email: 'x@example.test',
						role: 'admin'
					})
				).rejects.toBeInstanceOf(ForbiddenError);
				await expect(getMembersForAdmins(ctx.db, actor, organisation.slug)).rejects.toBeInstanceOf(
					ForbiddenError
				);
			}
			const queued = await ctx.db
				.selectFrom('mail_outbox')
				.select('id')
				.where('to_address', '=', 'x@example.test')
				.execute();
			expect(queued).toEqual([]);
		});

		it(`limits each person to ${INVITE_RATE_LIMIT.limit} invitations an hour`, async () => {
			const { admin, organisation } = await organisationWithAdmin();
			const now = new Date();
			for (let i = 0; i < INVITE_RATE_LIMIT.limit; i++)
				await inviteToOrganisation(
					ctx.db,
					SITE,
					admin,
					organisation.id,
					{ email: `guest${i}@example.test`, role: 'member' },
					now
				);
			const refused = await inviteToOrganisation(
				ctx.db,
				SITE,
				admin,
				organisation.id,
				{ email: 'one-more@example.test', role: 'member' },
				now
			);
			expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
		});
	});

	describe('members and roles', () => {
		async function organisationWithMember() {
			const { admin, organisation } = await organisationWithAdmin();
			const member = await person();
			await acceptInvite(ctx.db, member, await invite(admin, organisation.id, member.email));
			return { admin, member, organisation };
		}

		it('always keeps at least one admin', async () => {
			const { admin, member, organisation } = await organisationWithMember();
			expect(
				await changeMemberRole(ctx.db, admin, organisation.id, { userId: admin.id, role: 'member' })
			).toEqual({ ok: false, reason: 'last-admin' });
			expect(await leaveOrganisation(ctx.db, admin, organisation.id)).toEqual({
				ok: false,
				reason: 'last-admin'
			});
			const siteAdmin = await person({ role: 'administrator' });
			expect(await removeMember(ctx.db, siteAdmin, organisation.id, { userId: admin.id })).toEqual({
				ok: false,
				reason: 'last-admin'
			});

			// Once someone else is an admin, the first may step down and then leave.
			expect(
				await changeMemberRole(ctx.db, admin, organisation.id, { userId: member.id, role: 'admin' })
			).toEqual({ ok: true });
			expect(
				await changeMemberRole(ctx.db, admin, organisation.id, { userId: admin.id, role: 'member' })
			).toEqual({ ok: true });
			expect(await leaveOrganisation(ctx.db, admin, organisation.id)).toEqual({ ok: true });
			const view = await getMembersForAdmins(ctx.db, member, organisation.slug);
			expect(view?.members.map((m) => [m.userId, m.role])).toEqual([[member.id, 'admin']]);
		});

		it('never loses its last admin when two admins demote each other at once', async () => {
			const { admin, member, organisation } = await organisationWithMember();
			await changeMemberRole(ctx.db, admin, organisation.id, { userId: member.id, role: 'admin' });
			const results = await Promise.allSettled([
				changeMemberRole(ctx.db, admin, organisation.id, { userId: member.id, role: 'member' }),
				changeMemberRole(ctx.db, member, organisation.id, { userId: admin.id, role: 'member' })
			]);
			const succeeded = results.filter((r) => r.status === 'fulfilled' && r.value.ok);
			expect(succeeded).toHaveLength(1);
			// The other is refused either way the two interleave: as the last admin (both checked
			// their permission first), or because its actor had already been demoted.
			const refused = results.find((r) => !(r.status === 'fulfilled' && r.value.ok));
			if (refused?.status === 'fulfilled')
				expect(refused.value).toEqual({ ok: false, reason: 'last-admin' });
			else expect(refused?.reason).toBeInstanceOf(ForbiddenError);
			const view = await getMembersForAdmins(ctx.db, SYSTEM_ACTOR, organisation.slug);
			expect(view?.adminCount).toBe(1);
		});

		it('lets a member leave, after which they can no longer act for it', async () => {
			const { member, organisation } = await organisationWithMember();
			expect(await mayRepresentOrganisation(ctx.db, member.id, organisation.id)).toBe(true);
			const before = await readContentVersion(ctx.db);
			expect(await leaveOrganisation(ctx.db, member, organisation.id)).toEqual({ ok: true });
			expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
			expect(await organisationsActorMayRepresent(ctx.db, member.id)).toEqual([]);
			expect(await leaveOrganisation(ctx.db, member, organisation.id)).toEqual({
				ok: false,
				reason: 'not-a-member'
			});
		});

		it('lets admins remove members, and refuses members removing or promoting others', async () => {
			const { admin, member, organisation } = await organisationWithMember();
			const other = await person();
			await acceptInvite(ctx.db, other, await invite(admin, organisation.id, other.email));

			await expect(
				removeMember(ctx.db, member, organisation.id, { userId: other.id })
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(
				changeMemberRole(ctx.db, member, organisation.id, { userId: member.id, role: 'admin' })
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(
				removeMember(ctx.db, await person(), organisation.id, { userId: other.id })
			).rejects.toBeInstanceOf(ForbiddenError);

			expect(await removeMember(ctx.db, admin, organisation.id, { userId: other.id })).toEqual({
				ok: true
			});
			expect(await mayRepresentOrganisation(ctx.db, other.id, organisation.id)).toBe(false);
			expect(
				await changeMemberRole(ctx.db, admin, organisation.id, { userId: other.id, role: 'admin' })
			).toEqual({ ok: false, reason: 'not-a-member' });
		});

		it('does not bump the page cache for a refused change', async () => {
			const { admin, organisation } = await organisationWithMember();
			const before = await readContentVersion(ctx.db);
			await changeMemberRole(ctx.db, admin, organisation.id, { userId: admin.id, role: 'member' });
			expect(await readContentVersion(ctx.db)).toBe(before);
		});
	});

	describe('public pages', () => {
		it('lists only members who chose to show their organisations', async () => {
			const { admin, organisation } = await organisationWithAdmin('Open Door Trust');
			const shy = await person({ name: 'Shy Person' });
			const open = await person({ name: 'Open Person' });
			for (const p of [shy, open])
				await acceptInvite(ctx.db, p, await invite(admin, organisation.id, p.email));
			await updateProfile(ctx.db, open, { name: 'Open Person', show: ['organisations'] });
			await updateProfile(ctx.db, shy, { name: 'Shy Person' });

			const forVisitor = await viewOrganisation(ctx.db, null, organisation.slug);
			expect(forVisitor?.members).toEqual([
				{ userId: open.id, name: 'Open Person', role: 'member' }
			]);
			expect(forVisitor?.viewer).toEqual({ role: null, canEdit: false, canManageMembers: false });
			expect((await viewOrganisation(ctx.db, admin, organisation.slug))?.viewer).toEqual({
				role: 'admin',
				canEdit: true,
				canManageMembers: true
			});
			// Its admins still see everyone, to manage them.
			const managed = await getMembersForAdmins(ctx.db, admin, organisation.slug);
			expect(managed?.members.map((m) => m.name).sort()).toEqual(
				[admin.name, 'Open Person', 'Shy Person'].sort()
			);
		});

		it('lists organisations a page at a time, by name', async () => {
			const before = (await listOrganisations(ctx.db, 1, 1000))?.total ?? 0;
			const sam = await person();
			for (const name of ['zz Last', 'ZZ Middle', 'zz First'])
				await createOrganisation(ctx.db, sam, details(name));
			const all = await listOrganisations(ctx.db, 1, 1000);
			expect(all?.total).toBe(before + 3);
			expect(all?.items.slice(-3).map((o) => o.name)).toEqual(['zz First', 'zz Last', 'ZZ Middle']);
			const perPage = 2;
			const last = Math.ceil((before + 3) / perPage);
			const lastPage = await listOrganisations(ctx.db, last, perPage);
			expect(lastPage?.items.at(-1)?.name).toBe('ZZ Middle');
			expect(lastPage?.totalPages).toBe(last);
			expect(await listOrganisations(ctx.db, last + 1, perPage)).toBeUndefined();
			expect(await listOrganisations(ctx.db, 0, perPage)).toBeUndefined();
		});
	});
});
