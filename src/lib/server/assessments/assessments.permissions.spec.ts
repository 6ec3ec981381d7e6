import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canCreateAssessment,
	canEditFramework,
	canManageAssessment,
	canSeeResults,
	canSeeSelfCheck,
	isOwner
} from './assessments.permissions';

function person(role: SessionUser['role'] = 'member', id = 'u1'): SessionUser {
	return { id, name: 'Someone', email: `${id}@example.test`, emailVerified: true, role };
}

const nobody = { isOwner: false, hasResponded: false };

describe('assessment permissions', () => {
	it('lets any signed-in member start an assessment, and no visitor', () => {
		expect(canCreateAssessment(person())).toBe(true);
		expect(canCreateAssessment(null)).toBe(false);
	});

	it('knows an owner by id', () => {
		expect(isOwner(person('member', 'a'), ['a', 'b'])).toBe(true);
		expect(isOwner(person('member', 'c'), ['a', 'b'])).toBe(false);
		expect(isOwner(null, ['a'])).toBe(false);
	});

	it('lets owners and administrators manage, but not curators or other members', () => {
		expect(canManageAssessment(person(), { isOwner: true })).toBe(true);
		expect(canManageAssessment(person('administrator'), { isOwner: false })).toBe(true);
		expect(canManageAssessment(SYSTEM_ACTOR, { isOwner: false })).toBe(true);
		expect(canManageAssessment(person('curator'), { isOwner: false })).toBe(false);
		expect(canManageAssessment(person(), { isOwner: false })).toBe(false);
		expect(canManageAssessment(null, { isOwner: false })).toBe(false);
	});

	it('shows results by the assessment’s setting', () => {
		const owners = { results_visibility: 'owners' as const };
		const respondents = { results_visibility: 'respondents' as const };
		const everyone = { results_visibility: 'public' as const };
		const answered = { isOwner: false, hasResponded: true };
		const owner = { isOwner: true, hasResponded: false };

		expect(canSeeResults(person(), owners, owner)).toBe(true);
		expect(canSeeResults(person(), owners, answered)).toBe(false);
		expect(canSeeResults(person(), owners, nobody)).toBe(false);
		expect(canSeeResults(person('administrator'), owners, nobody)).toBe(true);

		expect(canSeeResults(person(), respondents, answered)).toBe(true);
		expect(canSeeResults(person(), respondents, nobody)).toBe(false);
		expect(canSeeResults(null, respondents, nobody)).toBe(false);

		expect(canSeeResults(null, everyone, nobody)).toBe(true);
	});

	it('lets curators and administrators edit the framework, and nobody else', () => {
		expect(canEditFramework(person('curator'))).toBe(true);
		expect(canEditFramework(person('administrator'))).toBe(true);
		expect(canEditFramework(person())).toBe(false);
		expect(canEditFramework(null)).toBe(false);
	});

	it('shows a saved check to the person who saved it and nobody else, not even an administrator', () => {
		const check = { user_id: 'a' };
		expect(canSeeSelfCheck(person('member', 'a'), check)).toBe(true);
		expect(canSeeSelfCheck(person('member', 'b'), check)).toBe(false);
		expect(canSeeSelfCheck(person('administrator', 'c'), check)).toBe(false);
		expect(canSeeSelfCheck(null, check)).toBe(false);
		expect(canSeeSelfCheck(SYSTEM_ACTOR, check)).toBe(false);
	});
});
