import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { Role, SessionUser } from '../auth/auth.types';
import {
	canChangeComment,
	canEndorseForOrganisation,
	canFacilitateStatement,
	canStartStatement,
	canTakePart,
	canWithdrawAmendment
} from './statements.permissions';

const person = (role: Role = 'member', id = 'p1'): SessionUser => ({
	id,
	name: 'Someone',
	email: `${id}@example.test`,
	emailVerified: true,
	role
});

describe('statement permissions', () => {
	it('let curators, administrators and the command line start and facilitate, not members', () => {
		for (const can of [canStartStatement, canFacilitateStatement]) {
			expect(can(person('curator'))).toBe(true);
			expect(can(person('administrator'))).toBe(true);
			expect(can(SYSTEM_ACTOR)).toBe(true);
			expect(can(person('member'))).toBe(false);
			expect(can(null)).toBe(false);
		}
	});

	it('let anyone signed in take part, and no visitor', () => {
		expect(canTakePart(person())).toBe(true);
		expect(canTakePart(null)).toBe(false);
		expect(canTakePart(SYSTEM_ACTOR)).toBe(false);
	});

	it('let only the author withdraw an amendment or change a comment', () => {
		expect(canWithdrawAmendment(person('member', 'a'), { author_id: 'a' })).toBe(true);
		expect(canWithdrawAmendment(person('curator', 'b'), { author_id: 'a' })).toBe(false);
		expect(canWithdrawAmendment(person('member', 'a'), { author_id: null })).toBe(false);
		expect(canChangeComment(person('member', 'a'), { author_id: 'a' })).toBe(true);
		expect(canChangeComment(person('administrator', 'b'), { author_id: 'a' })).toBe(false);
	});

	it('let only an organisation’s admin endorse for it', () => {
		expect(canEndorseForOrganisation(person(), 'admin')).toBe(true);
		expect(canEndorseForOrganisation(person(), 'member')).toBe(false);
		expect(canEndorseForOrganisation(person('administrator'), null)).toBe(false);
		expect(canEndorseForOrganisation(null, 'admin')).toBe(false);
	});
});
