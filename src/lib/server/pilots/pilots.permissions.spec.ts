import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canFollowPilot,
	canManagePilot,
	canRemoveFromTeam,
	canSeePilot,
	canStartPilot,
	canWriteEntries,
	roleIn
} from './pilots.permissions';

const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser => ({
	id,
	name: id,
	email: `${id}@example.test`,
	emailVerified: true,
	role
});
const owner = person('owner');
const member = person('member');
const stranger = person('stranger');
const admin = person('admin', 'administrator');
const pilot = (visibility: 'public' | 'members' | 'team') => ({ visibility, owner_id: 'owner' });

describe('pilot permissions', () => {
	it('places the viewer in the team', () => {
		expect(roleIn(owner, pilot('team'), false)).toBe('owner');
		expect(roleIn(member, pilot('team'), true)).toBe('member');
		expect(roleIn(stranger, pilot('team'), false)).toBeNull();
		expect(roleIn(null, pilot('team'), true)).toBeNull();
	});

	it('lets anyone read a public pilot, members a members’ one, only the team a team one', () => {
		expect(canSeePilot(null, pilot('public'), null)).toBe(true);
		expect(canSeePilot(null, pilot('members'), null)).toBe(false);
		expect(canSeePilot(stranger, pilot('members'), null)).toBe(true);
		expect(canSeePilot(stranger, pilot('team'), null)).toBe(false);
		expect(canSeePilot(admin, pilot('team'), null)).toBe(false);
		expect(canSeePilot(member, pilot('team'), 'member')).toBe(true);
		expect(canSeePilot(owner, pilot('team'), 'owner')).toBe(true);
	});

	it('lets members start pilots, not visitors', () => {
		expect(canStartPilot(stranger)).toBe(true);
		expect(canStartPilot(null)).toBe(false);
		expect(canStartPilot(SYSTEM_ACTOR)).toBe(false);
	});

	it('lets only the team write entries', () => {
		expect(canWriteEntries(owner, 'owner')).toBe(true);
		expect(canWriteEntries(member, 'member')).toBe(true);
		expect(canWriteEntries(stranger, null)).toBe(false);
		expect(canWriteEntries(null, null)).toBe(false);
	});

	it('lets only the owner manage the pilot; anyone on the team may leave', () => {
		expect(canManagePilot(owner, pilot('public'))).toBe(true);
		expect(canManagePilot(member, pilot('public'))).toBe(false);
		expect(canManagePilot(admin, pilot('public'))).toBe(false);
		expect(canManagePilot(owner, { owner_id: null })).toBe(false);
		expect(canRemoveFromTeam(owner, pilot('team'), 'member')).toBe(true);
		expect(canRemoveFromTeam(member, pilot('team'), 'member')).toBe(true);
		expect(canRemoveFromTeam(stranger, pilot('team'), 'member')).toBe(false);
	});

	it('lets signed-in people follow what they can read', () => {
		expect(canFollowPilot(null, pilot('public'), null)).toBe(false);
		expect(canFollowPilot(stranger, pilot('public'), null)).toBe(true);
		expect(canFollowPilot(stranger, pilot('team'), null)).toBe(false);
		expect(canFollowPilot(member, pilot('team'), 'member')).toBe(true);
	});
});
