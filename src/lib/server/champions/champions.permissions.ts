import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { isCurator } from '../moderation/moderation.permissions';

/** Any member may volunteer as a champion (curators confirm them before they are listed). */
export function canVolunteer(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Curators confirm or turn down new champions, and see requests nobody answered. */
export function canReviewChampions(actor: Actor | null | undefined): actor is SessionUser {
	return isCurator(actor);
}

/** Any member may ask a champion (who must be confirmed and not paused: checked apart). */
export function canAskChampion(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** A request is read only by its asker and the champion who holds it now. */
export function canReadRequest(
	actor: Actor | null | undefined,
	request: { asker_id: string; champion_user_id: string | null }
): actor is SessionUser {
	return (
		isPerson(actor) &&
		(actor.id === request.asker_id ||
			(request.champion_user_id !== null && actor.id === request.champion_user_id))
	);
}

/** Only the champion who holds a request accepts, passes on, declines or shares contact. */
export function canAnswerRequest(
	actor: Actor | null | undefined,
	request: { champion_user_id: string | null }
): actor is SessionUser {
	return (
		isPerson(actor) && request.champion_user_id !== null && actor.id === request.champion_user_id
	);
}

/** Only the asker closes their request and says whether it helped. */
export function canCloseRequest(
	actor: Actor | null | undefined,
	request: { asker_id: string }
): actor is SessionUser {
	return isPerson(actor) && actor.id === request.asker_id;
}
