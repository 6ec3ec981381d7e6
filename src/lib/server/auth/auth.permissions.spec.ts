import { describe, expect, it } from 'vitest';
import {
	SYSTEM_ACTOR,
	assertCan,
	canChangeRoles,
	canCreateUsers,
	canManageOwnAccount
} from './auth.permissions';
import { ForbiddenError } from '../refusals';
import type { Role, SessionUser } from './auth.types';

function person(role: Role, id = 'u1'): SessionUser {
	return { id, name: 'P', email: 'p@example.org', emailVerified: true, role };
}

describe('account permissions', () => {
	it('lets only administrators and the command line change roles', () => {
		expect(canChangeRoles(person('administrator'))).toBe(true);
		expect(canChangeRoles(SYSTEM_ACTOR)).toBe(true);
		expect(canChangeRoles(person('curator'))).toBe(false);
		expect(canChangeRoles(person('member'))).toBe(false);
		expect(canChangeRoles(null)).toBe(false);
	});

	it('lets only administrators and the command line create accounts', () => {
		expect(canCreateUsers(person('administrator'))).toBe(true);
		expect(canCreateUsers(SYSTEM_ACTOR)).toBe(true);
		expect(canCreateUsers(person('curator'))).toBe(false);
		expect(canCreateUsers(undefined)).toBe(false);
	});

	it('lets people manage only their own account', () => {
		expect(canManageOwnAccount(person('member', 'u1'), 'u1')).toBe(true);
		expect(canManageOwnAccount(person('administrator', 'u2'), 'u1')).toBe(false);
		expect(canManageOwnAccount(SYSTEM_ACTOR, 'u1')).toBe(false);
		expect(canManageOwnAccount(null, 'u1')).toBe(false);
	});

	it('turns a refusal into a ForbiddenError', () => {
		expect(() => assertCan(false, 'No.')).toThrow(ForbiddenError);
		expect(() => assertCan(true)).not.toThrow();
	});
});
