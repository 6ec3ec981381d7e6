import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { canEditProfile, canSeeProfileEmail } from './profiles.permissions';

const sam: SessionUser = {
	id: 'sam',
	name: 'Sam',
	email: 'sam@example.test',
	emailVerified: true,
	role: 'member'
};
const ada: SessionUser = { ...sam, id: 'ada', role: 'administrator' };

describe('profile permissions', () => {
	it('lets a member edit their own profile only', () => {
		expect(canEditProfile(sam, 'sam')).toBe(true);
		expect(canEditProfile(sam, 'ada')).toBe(false);
		expect(canEditProfile(ada, 'sam')).toBe(false);
		expect(canEditProfile(null, 'sam')).toBe(false);
		expect(canEditProfile(SYSTEM_ACTOR, 'sam')).toBe(false);
	});

	it('shows an email address to signed-in members only, and only when chosen', () => {
		expect(canSeeProfileEmail(sam, { show_email: 1 })).toBe(true);
		expect(canSeeProfileEmail(null, { show_email: 1 })).toBe(false);
		expect(canSeeProfileEmail(SYSTEM_ACTOR, { show_email: 1 })).toBe(false);
		expect(canSeeProfileEmail(sam, { show_email: 0 })).toBe(false);
		expect(canSeeProfileEmail(sam, null)).toBe(false);
	});
});
