import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { canSeeUnpublishedPost } from './blog.permissions';

const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser => ({
	id,
	name: id,
	email: `${id}@example.test`,
	emailVerified: true,
	role
});

describe('who sees a post before it is public', () => {
	const post = { author_id: 'author' };
	it('lets its author and curators see it', () => {
		expect(canSeeUnpublishedPost(person('author'), post)).toBe(true);
		expect(canSeeUnpublishedPost(person('c', 'curator'), post)).toBe(true);
		expect(canSeeUnpublishedPost(person('a', 'administrator'), post)).toBe(true);
	});
	it('refuses visitors and other members', () => {
		expect(canSeeUnpublishedPost(null, post)).toBe(false);
		expect(canSeeUnpublishedPost(person('someone-else'), post)).toBe(false);
		expect(canSeeUnpublishedPost(person('someone-else'), { author_id: null })).toBe(false);
		expect(canSeeUnpublishedPost(SYSTEM_ACTOR, post)).toBe(false);
	});
});
