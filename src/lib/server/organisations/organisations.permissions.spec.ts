import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canAcceptInvite,
	canActForOrganisation,
	canChangeMemberRole,
	canCreateOrganisation,
	canEditOrganisation,
	canInviteToOrganisation,
	canManageMembers,
	canRemoveMember
} from './organisations.permissions';

function person(overrides: Partial<SessionUser> = {}): SessionUser {
	return {
		id: 'sam',
		name: 'Sam',
		email: 'sam@example.test',
		emailVerified: true,
		role: 'member',
		...overrides
	};
}

const member = person();
const curator = person({ id: 'cat', role: 'curator' });
const siteAdmin = person({ id: 'ada', email: 'ada@example.test', role: 'administrator' });
const ADMIN = { role: 'admin' } as const;
const MEMBER = { role: 'member' } as const;

describe('organisation permissions', () => {
	it('lets any signed-in person create an organisation, but not a visitor', () => {
		expect(canCreateOrganisation(member)).toBe(true);
		expect(canCreateOrganisation(null)).toBe(false);
		expect(canCreateOrganisation(undefined)).toBe(false);
	});

	const adminOnly = [
		['canEditOrganisation', canEditOrganisation],
		['canManageMembers', canManageMembers],
		['canInviteToOrganisation', canInviteToOrganisation],
		['canChangeMemberRole', canChangeMemberRole]
	] as const;
	for (const [name, rule] of adminOnly) {
		describe(name, () => {
			it('allows the organisation’s admins', () => {
				expect(rule(member, ADMIN)).toBe(true);
			});
			it('refuses its ordinary members, outsiders and visitors', () => {
				expect(rule(member, MEMBER)).toBe(false);
				expect(rule(member, null)).toBe(false);
				expect(rule(null, null)).toBe(false);
			});
			it('refuses curators who are not its admins', () => {
				expect(rule(curator, null)).toBe(false);
				expect(rule(curator, MEMBER)).toBe(false);
			});
			it('allows site administrators and the command line for any organisation', () => {
				expect(rule(siteAdmin, null)).toBe(true);
				expect(rule(SYSTEM_ACTOR, null)).toBe(true);
			});
		});
	}

	describe('canRemoveMember', () => {
		it('lets admins remove anyone', () => {
			expect(canRemoveMember(member, ADMIN, 'someone-else')).toBe(true);
			expect(canRemoveMember(siteAdmin, null, 'someone-else')).toBe(true);
		});
		it('lets a member remove themselves (leave)', () => {
			expect(canRemoveMember(member, MEMBER, member.id)).toBe(true);
		});
		it('refuses a member removing someone else, and an outsider removing anyone', () => {
			expect(canRemoveMember(member, MEMBER, 'someone-else')).toBe(false);
			expect(canRemoveMember(member, null, member.id)).toBe(false);
			expect(canRemoveMember(null, null, 'someone-else')).toBe(false);
		});
	});

	describe('canActForOrganisation', () => {
		it('lets members and admins act on its behalf', () => {
			expect(canActForOrganisation(member, MEMBER)).toBe(true);
			expect(canActForOrganisation(member, ADMIN)).toBe(true);
		});
		it('refuses outsiders, even site administrators and the command line', () => {
			expect(canActForOrganisation(member, null)).toBe(false);
			expect(canActForOrganisation(siteAdmin, null)).toBe(false);
			expect(canActForOrganisation(SYSTEM_ACTOR, null)).toBe(false);
		});
	});

	describe('canAcceptInvite', () => {
		const invite = { email: 'sam@example.test' };
		it('allows the person signed in with the confirmed address it was sent to', () => {
			expect(canAcceptInvite(member, invite)).toBe(true);
			expect(canAcceptInvite(person({ email: 'Sam@Example.TEST' }), invite)).toBe(true);
		});
		it('refuses anyone signed in with another address, even an administrator', () => {
			expect(canAcceptInvite(person({ email: 'other@example.test' }), invite)).toBe(false);
			expect(canAcceptInvite(siteAdmin, invite)).toBe(false);
		});
		it('refuses an unconfirmed address and visitors', () => {
			expect(canAcceptInvite(person({ emailVerified: false }), invite)).toBe(false);
			expect(canAcceptInvite(null, invite)).toBe(false);
		});
	});
});
