import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';

/** How long after a round closes we keep what only served the round while it ran. */
export const ROUND_RETENTION_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Forgets, 30 days after a round closed, what was only needed while it ran: the invited
 * addresses (kept to avoid inviting someone twice), answers that were started but never sent
 * (they never count), and visitors' private codes to their sent answers. Sent answers stay, as
 * the results are made of them. Invitations to become a co-owner go once they expire.
 */
export async function forgetClosedRounds(
	db: Kysely<DB>,
	now = new Date()
): Promise<{ invitations: number; unfinished: number; codes: number; ownerInvitations: number }> {
	const cutoff = new Date(now.getTime() - ROUND_RETENTION_DAYS * DAY_MS).toISOString();
	const closedLongAgo = db
		.selectFrom('assessment_round')
		.select('id')
		.where((eb) =>
			eb.or([
				eb('closed_at', '<', cutoff),
				eb.and([eb('closed_at', 'is', null), eb('closes_at', '<', cutoff)])
			])
		);
	return db.transaction().execute(async (trx) => {
		const unfinished = await trx
			.deleteFrom('assessment_response')
			.where('submitted_at', 'is', null)
			.where('round_id', 'in', closedLongAgo)
			.executeTakeFirst();
		const codes = await trx
			.updateTable('assessment_response')
			.set({ resume_hash: null })
			.where('resume_hash', 'is not', null)
			.where('round_id', 'in', closedLongAgo)
			.executeTakeFirst();
		const invitations = await trx
			.deleteFrom('assessment_invitation')
			.where('round_id', 'in', closedLongAgo)
			.executeTakeFirst();
		const ownerInvitations = await trx
			.deleteFrom('assessment_owner_invitation')
			.where('expires_at', '<', now.toISOString())
			.executeTakeFirst();
		return {
			ownerInvitations: Number(ownerInvitations.numDeletedRows),
			invitations: Number(invitations.numDeletedRows),
			unfinished: Number(unfinished.numDeletedRows),
			codes: Number(codes.numUpdatedRows)
		};
	});
}

/** Runs `forgetClosedRounds` every hour (and shortly after starting) until stopped. */
export function startAssessmentsWorker(db: Kysely<DB>, intervalMs = 60 * 60 * 1000): PeriodicWork {
	return startPeriodicWork('assessments worker', () => forgetClosedRounds(db), intervalMs, 5_000);
}
