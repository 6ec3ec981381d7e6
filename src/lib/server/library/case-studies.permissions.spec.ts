import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import {
	canAnswerInvolvement,
	canEditCaseStudy,
	canManageLibraryWords,
	canReadWorkingCopy,
	canReviewCaseStudies,
	canWriteCaseStudies,
	isCaseStudyPublic
} from './case-studies.permissions';

const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser =>
	({ id, name: id, email: `${id}@example.test`, role, emailVerified: true }) as SessionUser;

describe('case study permissions', () => {
	const author = person('author');
	const other = person('other');
	const curator = person('curator', 'curator');
	const admin = person('admin', 'administrator');
	const caseStudy = { author_id: 'author' };

	it('members write; visitors do not', () => {
		expect(canWriteCaseStudies(author)).toBe(true);
		expect(canWriteCaseStudies(null)).toBe(false);
	});
	it('only the author edits (a kept case study of a deleted account is no one’s to edit)', () => {
		expect(canEditCaseStudy(author, caseStudy)).toBe(true);
		expect(canEditCaseStudy(other, caseStudy)).toBe(false);
		expect(canEditCaseStudy(curator, caseStudy)).toBe(false);
		expect(canEditCaseStudy(author, { author_id: null })).toBe(false);
	});
	it('the working copy is for the author and curators', () => {
		expect(canReadWorkingCopy(author, caseStudy)).toBe(true);
		expect(canReadWorkingCopy(curator, caseStudy)).toBe(true);
		expect(canReadWorkingCopy(admin, caseStudy)).toBe(true);
		expect(canReadWorkingCopy(other, caseStudy)).toBe(false);
		expect(canReadWorkingCopy(null, caseStudy)).toBe(false);
	});
	it('curators review and keep the words', () => {
		expect(canReviewCaseStudies(curator)).toBe(true);
		expect(canReviewCaseStudies(author)).toBe(false);
		expect(canManageLibraryWords(admin)).toBe(true);
		expect(canManageLibraryWords(other)).toBe(false);
	});
	it('only the person named answers for themselves', () => {
		expect(canAnswerInvolvement(other, { user_id: 'other' })).toBe(true);
		expect(canAnswerInvolvement(author, { user_id: 'other' })).toBe(false);
		expect(canAnswerInvolvement(curator, { user_id: 'other' })).toBe(false);
	});
	it('is public once a version is published', () => {
		expect(isCaseStudyPublic({ published_version: null })).toBe(false);
		expect(isCaseStudyPublic({ published_version: 1 })).toBe(true);
	});
});
