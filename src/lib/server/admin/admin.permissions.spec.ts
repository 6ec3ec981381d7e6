import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import type { Role } from '../auth/auth.types';
import { canManageMail, canReadAuditLog, canSeeAdminPages } from './admin.permissions';

function person(role: Role): SessionUser {
	return { id: `id-${role}`, name: role, email: `${role}@example.test`, emailVerified: true, role };
}

const predicates = { canSeeAdminPages, canReadAuditLog, canManageMail };

describe('admin permissions', () => {
	for (const [name, can] of Object.entries(predicates)) {
		describe(name, () => {
			it('allows an administrator', () => {
				expect(can(person('administrator'))).toBe(true);
			});
			it('allows the command line', () => {
				expect(can({ system: true })).toBe(true);
			});
			it('refuses a curator', () => {
				expect(can(person('curator'))).toBe(false);
			});
			it('refuses a member', () => {
				expect(can(person('member'))).toBe(false);
			});
			it('refuses a visitor', () => {
				expect(can(null)).toBe(false);
				expect(can(undefined)).toBe(false);
			});
			it('refuses a role it does not know', () => {
				expect(can({ ...person('member'), role: 'owner' as Role })).toBe(false);
			});
		});
	}
});
