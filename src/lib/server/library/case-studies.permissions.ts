import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { CaseStudy, CaseStudyPerson } from './case-studies.tables';

/**
 * Who may do what with case studies. Pure rules: the service passes what it read.
 *
 * Review policy (issue 14): a member's case study, and every later update of it, waits for a
 * curator before visitors see it (like Wikipedia's pending changes: the published version stays
 * on show while the update waits). There is no "trusted author" short cut: case studies are
 * cited and printed as evidence, so a second pair of eyes on every change is worth the wait.
 * Curators' own case studies publish at once (they are the reviewers).
 */

/** Curators (and administrators) review case studies and keep the library's lists of words. */
export function isLibraryCurator(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor) || (isPerson(actor) && actor.role === 'curator');
}

/** Anyone signed in writes case studies. */
export function canWriteCaseStudies(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Whether visitors may read it: a version has been published. */
export function isCaseStudyPublic(caseStudy: Pick<CaseStudy, 'published_version'>): boolean {
	return caseStudy.published_version !== null;
}

/** Only the author changes a case study (curators send it back with a message instead). */
export function canEditCaseStudy(
	actor: Actor | null | undefined,
	caseStudy: Pick<CaseStudy, 'author_id'>
): boolean {
	return isPerson(actor) && caseStudy.author_id !== null && caseStudy.author_id === actor.id;
}

/** The working copy (a draft, or changes waiting) is for its author and curators. */
export function canReadWorkingCopy(
	actor: Actor | null | undefined,
	caseStudy: Pick<CaseStudy, 'author_id'>
): boolean {
	return canEditCaseStudy(actor, caseStudy) || isLibraryCurator(actor);
}

/** Only curators publish case studies or send them back. */
export function canReviewCaseStudies(actor: Actor | null | undefined): boolean {
	return isLibraryCurator(actor);
}

/** Only curators add words to the library's lists, or retire and restore them. */
export function canManageLibraryWords(actor: Actor | null | undefined): boolean {
	return isLibraryCurator(actor);
}

/** Only the person named consents, declines or withdraws: nobody answers for someone else. */
export function canAnswerInvolvement(
	actor: Actor | null | undefined,
	involvement: Pick<CaseStudyPerson, 'user_id'>
): boolean {
	return isPerson(actor) && actor.id === involvement.user_id;
}
