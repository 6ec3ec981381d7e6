import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import {
	canChangeIdeaComment,
	canCommentOnIdea,
	canEditIdea,
	canMoveIdea,
	canPostIdea,
	canRemoveIdea,
	canSupportIdea,
	canTurnIdeaInto
} from './ideas.permissions';
import type { IdeaStage } from './ideas.tables';

const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser => ({
	id,
	name: id,
	email: `${id}@example.test`,
	emailVerified: true,
	role
});
const author = person('author');
const member = person('member');
const curator = person('curator', 'curator');
const admin = person('admin', 'administrator');
const idea = (stage: IdeaStage = 'new', removed_at: string | null = null) => ({
	author_id: 'author',
	stage,
	removed_at
});

describe('idea permissions', () => {
	it('lets anyone signed in post, support and comment; visitors only read', () => {
		for (const can of [canPostIdea, canSupportIdea, canCommentOnIdea]) {
			expect(can(member)).toBe(true);
			expect(can(null)).toBe(false);
			expect(can(SYSTEM_ACTOR)).toBe(false);
		}
	});

	it('lets only the author change the words, and only while the idea is new', () => {
		expect(canEditIdea(author, idea())).toBe(true);
		expect(canEditIdea(author, idea('gathering-support'))).toBe(false);
		expect(canEditIdea(author, idea('new', '2026-12-01T00:00:00.000Z'))).toBe(false);
		expect(canEditIdea(member, idea())).toBe(false);
		expect(canEditIdea(curator, idea())).toBe(false);
	});

	it('lets curators and the author move, convert and remove an idea; not a plain member', () => {
		for (const can of [canMoveIdea, canTurnIdeaInto, canRemoveIdea]) {
			expect(can(author, idea())).toBe(true);
			expect(can(curator, idea())).toBe(true);
			expect(can(admin, idea())).toBe(true);
			expect(can(member, idea())).toBe(false);
			expect(can(null, idea())).toBe(false);
			// An idea kept without its author's name has no author to act.
			expect(can(author, { ...idea(), author_id: null })).toBe(false);
		}
	});

	it('lets only its writer change a comment', () => {
		expect(canChangeIdeaComment(member, { author_id: 'member' })).toBe(true);
		expect(canChangeIdeaComment(curator, { author_id: 'member' })).toBe(false);
		expect(canChangeIdeaComment(member, { author_id: null })).toBe(false);
	});
});
