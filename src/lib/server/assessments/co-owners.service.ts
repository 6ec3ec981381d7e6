import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { findAccountByEmail } from '../auth/users.service';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors } from '../forms';
import { newId } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { consumeRateLimit } from '../rate-limit/rate-limit.service';
import { coOwnerInvitationMail, type AssessmentsSite } from './assessments.mails';
import { findAssessmentById, insertOwner, listOwnerIds } from './assessments.repository';
import {
	hashSecret,
	INVITATION_RATE_LIMIT,
	managedAssessment,
	newSecret
} from './assessments.service';

/**
 * Co-owners of a check: invited by email and made owners only when they accept, signed in with
 * that address. An owner is told the same thing whether or not the address has an account.
 */

/** How long an invitation to become a co-owner works. */
export const CO_OWNER_INVITATION_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

type Fail<R extends string> = { ok: false; reason: R };

const coOwnerSchema = z.object({
	email: z
		.string({ error: 'Enter their email address' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter their email address')
		.max(254, 'Enter an email address of 254 characters or fewer')
		.pipe(z.email('Enter an email address in the right format, like name@example.com'))
});

export type InviteCoOwnerResult =
	| { ok: true; email: string }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| Fail<'not-found'>
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Emails an invitation to become a co-owner (owners only). A new invitation to the same
 * address replaces the last one. Counted with invitations to answer, per owner per hour.
 */
export async function inviteCoOwner(
	db: Kysely<DB>,
	site: AssessmentsSite,
	actor: Actor | null,
	assessmentId: string,
	values: unknown,
	now = new Date()
): Promise<InviteCoOwnerResult> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return { ok: false, reason: 'not-found' };
	const parsed = coOwnerSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { email } = parsed.data;
	if (isPerson(actor)) {
		const limited = await consumeRateLimit(
			db,
			`assessment-invite:user:${actor.id}`,
			INVITATION_RATE_LIMIT,
			now
		);
		if (!limited.ok)
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	}
	const account = await findAccountByEmail(db, email);
	const token = newSecret();
	await db.transaction().execute(async (trx) => {
		await trx
			.deleteFrom('assessment_owner_invitation')
			.where('assessment_id', '=', assessment.id)
			.where('email', '=', email)
			.execute();
		await trx
			.insertInto('assessment_owner_invitation')
			.values({
				id: newId(),
				assessment_id: assessment.id,
				email,
				token_hash: hashSecret(token),
				invited_by: isPerson(actor) ? actor.id : null,
				created_at: now.toISOString(),
				expires_at: new Date(now.getTime() + CO_OWNER_INVITATION_DAYS * DAY_MS).toISOString()
			})
			.execute();
		await enqueueMail(
			trx,
			coOwnerInvitationMail(site, {
				token,
				email,
				assessmentTitle: assessment.title,
				inviterName: isPerson(actor) ? actor.name : null,
				userId: account?.id ?? null
			})
		);
		// The accepting link is a secret, so only the email carries it.
		if (account) {
			await notify(trx, {
				recipientId: account.id,
				kind: 'invitation',
				subjectKey: `assessment:${assessment.id}`,
				title: `${isPerson(actor) ? actor.name : 'Its owners'} invited you to run the co-production check “${assessment.title}” with them. Use the link in the email we sent you to accept.`,
				url: '/me',
				actorId: isPerson(actor) ? actor.id : null
			});
		}
	});
	return { ok: true, email };
}

async function findInvitation(db: Kysely<DB>, token: string) {
	return db
		.selectFrom('assessment_owner_invitation as i')
		.leftJoin('app_user as u', 'u.id', 'i.invited_by')
		.select(['i.id', 'i.assessment_id', 'i.email', 'i.expires_at', 'u.name as inviter_name'])
		.where('i.token_hash', '=', hashSecret(token))
		.executeTakeFirst();
}

export interface CoOwnerInvitationView {
	assessmentTitle: string;
	inviterName: string | null;
	email: string;
	expired: boolean;
}

/** What the invitation's page shows; undefined when the link leads nowhere. */
export async function viewCoOwnerInvitation(
	db: Kysely<DB>,
	token: string,
	now = new Date()
): Promise<CoOwnerInvitationView | undefined> {
	const invitation = await findInvitation(db, token);
	const assessment = invitation && (await findAssessmentById(db, invitation.assessment_id));
	if (!invitation || !assessment) return undefined;
	return {
		assessmentTitle: assessment.title,
		inviterName: invitation.inviter_name,
		email: invitation.email,
		expired: new Date(invitation.expires_at).getTime() <= now.getTime()
	};
}

export type AcceptCoOwnerResult =
	{ ok: true; assessmentId: string } | Fail<'not-found' | 'expired' | 'wrong-person'>;

/**
 * The signed-in person accepts: they become a co-owner if the invitation went to their address
 * (verified), and the invitation is used up.
 */
export async function acceptCoOwnerInvitation(
	db: Kysely<DB>,
	actor: SessionUser,
	token: string,
	now = new Date()
): Promise<AcceptCoOwnerResult> {
	const invitation = await findInvitation(db, token);
	if (!invitation) return { ok: false, reason: 'not-found' };
	if (new Date(invitation.expires_at).getTime() <= now.getTime())
		return { ok: false, reason: 'expired' };
	if (invitation.email !== actor.email.toLowerCase() || !actor.emailVerified)
		return { ok: false, reason: 'wrong-person' };
	const accepted = await db.transaction().execute(async (trx) => {
		const used = await trx
			.deleteFrom('assessment_owner_invitation')
			.where('id', '=', invitation.id)
			.executeTakeFirst();
		// Two tabs accepting at once: the first one in does it.
		if (Number(used.numDeletedRows) === 0) return false;
		await insertOwner(trx, {
			assessment_id: invitation.assessment_id,
			user_id: actor.id,
			added_at: now.toISOString()
		});
		return true;
	});
	if (!accepted) return { ok: false, reason: 'not-found' };
	return { ok: true, assessmentId: invitation.assessment_id };
}

/**
 * Takes someone off the owners (owners only; an owner may take themselves off). The last owner
 * stays: a check always has someone to run it.
 */
export async function removeOwner(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	userId: string
): Promise<{ ok: true } | Fail<'not-found' | 'last-owner'>> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return { ok: false, reason: 'not-found' };
	return db.transaction().execute(async (trx) => {
		// Two owners taking each other off at once must not leave none: lock the check's row.
		let lock = trx.selectFrom('assessment').select('id').where('id', '=', assessment.id);
		if (isPostgres(trx)) lock = lock.forUpdate();
		await lock.execute();
		const owners = await listOwnerIds(trx, assessment.id);
		if (!owners.includes(userId)) return { ok: false as const, reason: 'not-found' as const };
		if (owners.length === 1) return { ok: false as const, reason: 'last-owner' as const };
		await trx
			.deleteFrom('assessment_owner')
			.where('assessment_id', '=', assessment.id)
			.where('user_id', '=', userId)
			.execute();
		return { ok: true as const };
	});
}
