import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { isCurator } from '../moderation/moderation.permissions';

/** Curators (and administrators, and the command line) start a statement or import its draft. */
export function canStartStatement(actor: Actor | null | undefined): boolean {
	return isCurator(actor) || isAdministrator(actor);
}

/** Curators facilitate: they record which amendments were agreed and make the new version. */
export function canFacilitateStatement(actor: Actor | null | undefined): boolean {
	return isCurator(actor) || isAdministrator(actor);
}

/** Anyone signed in proposes amendments, comments on them and supports them. */
export function canTakePart(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Only its author withdraws an amendment. */
export function canWithdrawAmendment(
	actor: Actor | null | undefined,
	amendment: { author_id: string | null }
): actor is SessionUser {
	return isPerson(actor) && amendment.author_id !== null && amendment.author_id === actor.id;
}

/** Only its author edits or removes a comment. */
export function canChangeComment(
	actor: Actor | null | undefined,
	comment: { author_id: string | null }
): actor is SessionUser {
	return isPerson(actor) && comment.author_id !== null && comment.author_id === actor.id;
}

/** Only an admin of an organisation endorses on its behalf. */
export function canEndorseForOrganisation(
	actor: Actor | null | undefined,
	role: 'admin' | 'member' | null
): actor is SessionUser {
	return isPerson(actor) && role === 'admin';
}
