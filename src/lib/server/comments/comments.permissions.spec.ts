import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { canModerate, canReport } from '../moderation/moderation.permissions';
import {
	canCloseComments,
	canComment,
	canDeleteComment,
	canEditComment
} from './comments.permissions';

const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser => ({
	id,
	name: id,
	email: `${id}@example.test`,
	emailVerified: true,
	role
});

describe('comment and moderation permissions', () => {
	const mine = { author_id: 'ann' };
	it('lets members comment and report; not visitors', () => {
		expect(canComment(person('ann'))).toBe(true);
		expect(canComment(null)).toBe(false);
		expect(canReport(person('ann'))).toBe(true);
		expect(canReport(undefined)).toBe(false);
	});
	it('lets only the author edit or delete a comment', () => {
		expect(canEditComment(person('ann'), mine)).toBe(true);
		expect(canEditComment(person('bob'), mine)).toBe(false);
		expect(canEditComment(person('cur', 'curator'), mine)).toBe(false);
		expect(canEditComment(null, mine)).toBe(false);
		expect(canDeleteComment(person('bob'), mine)).toBe(false);
		expect(canDeleteComment(person('ann'), { author_id: null })).toBe(false);
	});
	it('lets the post author or a curator close comments', () => {
		expect(canCloseComments(person('ann'), mine)).toBe(true);
		expect(canCloseComments(person('cur', 'curator'), mine)).toBe(true);
		expect(canCloseComments(person('adm', 'administrator'), mine)).toBe(true);
		expect(canCloseComments(person('bob'), mine)).toBe(false);
		expect(canCloseComments(null, mine)).toBe(false);
	});
	it('lets only curators and administrators moderate', () => {
		expect(canModerate(person('cur', 'curator'))).toBe(true);
		expect(canModerate(person('adm', 'administrator'))).toBe(true);
		expect(canModerate(person('ann'))).toBe(false);
		expect(canModerate(null)).toBe(false);
		expect(canModerate(SYSTEM_ACTOR)).toBe(false);
	});
});
