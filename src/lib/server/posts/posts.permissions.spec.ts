import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canEditPost,
	canManageThemes,
	canPostForOrganisation,
	canReadPost,
	canReviewPosts,
	canSeePostHistory,
	canSuggestTheme,
	canWritePosts,
	isPostPublic,
	type PostAccess
} from './posts.permissions';

const sam: SessionUser = {
	id: 'u1',
	name: 'Sam',
	email: 'sam@example.test',
	emailVerified: true,
	role: 'member'
};
const ali: SessionUser = { ...sam, id: 'u2', name: 'Ali', email: 'ali@example.test' };
const curator: SessionUser = { ...sam, id: 'u3', role: 'curator' };
const NOW = '2027-01-10T12:00:00.000Z';

const post = (overrides: Partial<PostAccess> = {}): PostAccess => ({
	author_id: sam.id,
	status: 'published',
	published_at: '2027-01-01T00:00:00.000Z',
	hidden_at: null,
	...overrides
});

describe('who may read a post', () => {
	it('everyone reads a published, due, unhidden post', () => {
		expect(isPostPublic(post(), NOW)).toBe(true);
		expect(canReadPost(null, post(), NOW)).toBe(true);
		expect(canReadPost(ali, post(), NOW)).toBe(true);
	});

	it('drafts, waiting, declined, unpublished, scheduled and hidden posts: only the author and curators', () => {
		for (const p of [
			post({ status: 'draft', published_at: null }),
			post({ status: 'waiting' }),
			post({ status: 'declined' }),
			post({ status: 'unpublished' }),
			post({ published_at: '2027-02-01T00:00:00.000Z' }),
			post({ hidden_at: NOW })
		]) {
			expect(isPostPublic(p, NOW)).toBe(false);
			expect(canReadPost(null, p, NOW)).toBe(false);
			expect(canReadPost(ali, p, NOW)).toBe(false);
			expect(canReadPost(sam, p, NOW)).toBe(true);
			expect(canReadPost(curator, p, NOW)).toBe(true);
		}
	});
});

describe('who may change a post', () => {
	it('only the author or a curator edits, unpublishes and sees the history', () => {
		for (const can of [canEditPost, canSeePostHistory]) {
			expect(can(sam, post())).toBe(true);
			expect(can(curator, post())).toBe(true);
			expect(can(SYSTEM_ACTOR, post())).toBe(true);
			expect(can(ali, post())).toBe(false);
			expect(can(null, post())).toBe(false);
		}
	});

	it('a post kept without its author’s name is no one’s to edit but curators’', () => {
		expect(canEditPost(sam, post({ author_id: null }))).toBe(false);
		expect(canEditPost(curator, post({ author_id: null }))).toBe(true);
	});

	it('only curators review, feature and keep themes; anyone signed in writes and suggests', () => {
		for (const can of [canReviewPosts, canManageThemes]) {
			expect(can(curator)).toBe(true);
			expect(can({ ...sam, role: 'administrator' })).toBe(true);
			expect(can(sam)).toBe(false);
			expect(can(null)).toBe(false);
		}
		for (const can of [canWritePosts, canSuggestTheme]) {
			expect(can(sam)).toBe(true);
			expect(can(null)).toBe(false);
			expect(can(SYSTEM_ACTOR)).toBe(false);
		}
	});

	it('on behalf of an organisation only for its members', () => {
		expect(canPostForOrganisation(sam, true)).toBe(true);
		expect(canPostForOrganisation(sam, false)).toBe(false);
		expect(canPostForOrganisation(null, true)).toBe(false);
		expect(canPostForOrganisation(SYSTEM_ACTOR, true)).toBe(false);
	});
});
