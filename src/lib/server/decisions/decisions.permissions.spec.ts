import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import {
	canFacilitate,
	canRespond,
	canSeeDecision,
	canStartDecision
} from './decisions.permissions';

const member: SessionUser = {
	id: 'm',
	name: 'M',
	email: 'm@x.test',
	emailVerified: true,
	role: 'member'
};
const curator: SessionUser = { ...member, id: 'c', role: 'curator' };
const open = { status: 'open' as const, closes_at: '2026-12-10T00:00:00.000Z' };

describe('decision permissions', () => {
	it('let members start decisions, not visitors', () => {
		expect(canStartDecision(member)).toBe(true);
		expect(canStartDecision(null)).toBe(false);
	});
	it('let facilitators and curators run a decision, nobody else', () => {
		expect(canFacilitate(member, true)).toBe(true);
		expect(canFacilitate(member, false)).toBe(false);
		expect(canFacilitate(curator, false)).toBe(true);
		expect(canFacilitate(null, true)).toBe(false);
	});
	it('show drafts only to those who run them; open ones to members', () => {
		expect(canSeeDecision(member, { status: 'draft' }, false)).toBe(false);
		expect(canSeeDecision(member, { status: 'draft' }, true)).toBe(true);
		expect(canSeeDecision(member, { status: 'open' }, false)).toBe(true);
		expect(canSeeDecision(null, { status: 'closed' }, false)).toBe(false);
	});
	it('let participants respond only while open and before the closing time', () => {
		expect(canRespond(member, open, true, '2026-12-09T00:00:00.000Z')).toBe(true);
		expect(canRespond(member, open, false, '2026-12-09T00:00:00.000Z')).toBe(false);
		expect(canRespond(member, open, true, '2026-12-10T00:00:00.000Z')).toBe(false);
		expect(
			canRespond(member, { ...open, status: 'closed' }, true, '2026-12-09T00:00:00.000Z')
		).toBe(false);
	});
});
