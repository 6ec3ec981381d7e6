import { sql, type Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { formatDate, formatTime } from '../events/event-time';
import type { MyColabItem, MyColabLoadOptions } from '../my-colab/my-colab.types';

// The member's organisations for My CoLab, each section in one query.

/** Organisations the member belongs to, by name, with their role in each. */
export async function myOrganisations(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('organisation_member as m')
		.innerJoin('organisation as g', 'g.id', 'm.organisation_id')
		.select(['g.id', 'g.slug', 'g.name', 'm.role'])
		.where('m.user_id', '=', member.id)
		.orderBy(sql`lower(g.name)`)
		.orderBy('g.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((g) => ({
		id: g.id,
		title: g.name,
		href: `/organisations/${g.slug}`,
		details: [
			g.role === 'admin'
				? 'You are an admin: you can edit it and invite people'
				: 'You are a member'
		],
		actions:
			g.role === 'admin'
				? [
						{
							href: `/organisations/${g.slug}/members`,
							label: 'Members and invitations',
							context: `of ${g.name}`
						}
					]
				: []
	}));
}

/**
 * Invitations sent to the member's email address that are still open, newest first (not to
 * organisations they already belong to). The link to accept is only in the email: we keep a
 * hash of it, never the link itself.
 */
export async function myInvitations(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('organisation_invite as i')
		.innerJoin('organisation as g', 'g.id', 'i.organisation_id')
		.leftJoin('app_user as by', 'by.id', 'i.invited_by')
		.select(['i.id', 'i.role', 'i.expires_at', 'g.slug', 'g.name', 'by.name as inviter'])
		.where('i.email', '=', member.email.toLowerCase())
		.where('i.accepted_at', 'is', null)
		.where('i.expires_at', '>', o.now)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('organisation_member as m')
						.select('m.user_id')
						.whereRef('m.organisation_id', '=', 'i.organisation_id')
						.where('m.user_id', '=', member.id)
				)
			)
		)
		.orderBy('i.created_at', 'desc')
		.orderBy('i.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((i) => ({
		id: i.id,
		title: i.name,
		href: `/organisations/${i.slug}`,
		details: [
			`${i.inviter ?? 'Someone'} invited you to join as ${i.role === 'admin' ? 'an admin' : 'a member'}.`,
			`To accept, use the link in the email we sent you. It works until ${formatTime(i.expires_at, o.timeZone)} on ${formatDate(i.expires_at, o.timeZone)}.`
		],
		actions: []
	}));
}
