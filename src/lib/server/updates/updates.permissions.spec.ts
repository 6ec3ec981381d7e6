import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canBlockAddresses,
	canExportSubscribers,
	canImportSubscribers,
	canManageSubscriptionOf,
	canSubscribeFromAccount
} from './updates.permissions';

const sam: SessionUser = {
	id: 'u1',
	name: 'Sam',
	email: 'sam@example.test',
	emailVerified: true,
	role: 'member'
};

describe('who may manage email updates', () => {
	it('a member manages the subscription of their own address only', () => {
		expect(canManageSubscriptionOf(sam, 'Sam@Example.test ')).toBe(true);
		expect(canManageSubscriptionOf(sam, 'ali@example.test')).toBe(false);
		expect(canManageSubscriptionOf({ ...sam, role: 'administrator' }, 'ali@example.test')).toBe(
			false
		);
		expect(canManageSubscriptionOf(null, 'sam@example.test')).toBe(false);
		expect(canManageSubscriptionOf(SYSTEM_ACTOR, 'sam@example.test')).toBe(false);
	});

	it('choosing from the account needs a confirmed address', () => {
		expect(canSubscribeFromAccount(sam)).toBe(true);
		expect(canSubscribeFromAccount({ ...sam, emailVerified: false })).toBe(false);
		expect(canSubscribeFromAccount(undefined)).toBe(false);
	});

	it('only administrators block addresses', () => {
		expect(canBlockAddresses({ ...sam, role: 'administrator' })).toBe(true);
		expect(canBlockAddresses({ ...sam, role: 'curator' })).toBe(false);
		expect(canBlockAddresses(sam)).toBe(false);
		expect(canBlockAddresses(null)).toBe(false);
	});
});

describe('who may import, export and block subscribers', () => {
	it('only administrators (and the command line)', () => {
		for (const can of [canImportSubscribers, canExportSubscribers, canBlockAddresses]) {
			expect(can({ ...sam, role: 'administrator' })).toBe(true);
			expect(can(SYSTEM_ACTOR)).toBe(true);
			expect(can({ ...sam, role: 'curator' })).toBe(false);
			expect(can(sam)).toBe(false);
			expect(can(null)).toBe(false);
		}
	});
});
