import { isPerson, isAdministrator, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { ResultsVisibility } from './assessments.tables';

/**
 * Who may do what with the co-production check. Rules take the actor and what the service
 * already knows about them (whether they own the assessment, whether they answered this round);
 * none of them reads the database.
 */

/** Any signed-in member may start an assessment of their own work. */
export function canCreateAssessment(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Whether the actor is one of the assessment's owners. */
export function isOwner(actor: Actor | null | undefined, ownerIds: readonly string[]): boolean {
	return isPerson(actor) && ownerIds.includes(actor.id);
}

/** Owners run an assessment (rounds, invitations, co-owners); administrators may step in. */
export function canManageAssessment(
	actor: Actor | null | undefined,
	standing: { isOwner: boolean }
): boolean {
	return standing.isOwner || isAdministrator(actor);
}

/**
 * Results are for owners; with "respondents", also for whoever submitted an answer to the
 * round; with "public", for anyone. Everyone only ever sees aggregates.
 */
export function canSeeResults(
	actor: Actor | null | undefined,
	assessment: { results_visibility: ResultsVisibility },
	standing: { isOwner: boolean; hasResponded: boolean }
): boolean {
	if (assessment.results_visibility === 'public') return true;
	if (canManageAssessment(actor, standing)) return true;
	return assessment.results_visibility === 'respondents' && standing.hasResponded;
}

/** Curators (and administrators) reword the framework; each edit makes a new version. */
export function canEditFramework(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor) || (isPerson(actor) && actor.role === 'curator');
}

/** A check someone saved for themselves is theirs alone (not even administrators see it). */
export function canSeeSelfCheck(
	actor: Actor | null | undefined,
	check: { user_id: string }
): boolean {
	return isPerson(actor) && actor.id === check.user_id;
}
