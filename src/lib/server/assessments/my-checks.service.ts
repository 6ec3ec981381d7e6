import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { formatDate } from '../events/event-time';
import type { MyColabItem, MyColabLoadOptions } from '../my-colab/my-colab.types';

// The member's checks for My CoLab, each section in one query.

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Checks the member owns (alone or with others), newest first, with their latest round. */
export async function myChecksRun(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('assessment_owner as w')
		.innerJoin('assessment as a', 'a.id', 'w.assessment_id')
		.innerJoin('assessment_round as r', 'r.assessment_id', 'a.id')
		.select((eb) => [
			'a.id',
			'a.title',
			'r.number',
			'r.closes_at',
			'r.closed_at',
			eb
				.selectFrom('assessment_response as x')
				.select((c) => c.fn.countAll<number>().as('n'))
				.whereRef('x.round_id', '=', 'r.id')
				.where('x.submitted_at', 'is not', null)
				.as('submitted')
		])
		.where('w.user_id', '=', member.id)
		.where(({ eb, selectFrom }) =>
			eb(
				'r.number',
				'=',
				selectFrom('assessment_round as later')
					.select((c) => c.fn.max('later.number').as('m'))
					.whereRef('later.assessment_id', '=', 'a.id')
			)
		)
		.orderBy('a.created_at', 'desc')
		.orderBy('a.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((a) => {
		const open = !a.closed_at && a.closes_at > o.now;
		// Rounds close at the start of the day after their last day.
		const lastDay = formatDate(new Date(Date.parse(a.closes_at) - 1).toISOString(), o.timeZone);
		const answers = count(Number(a.submitted ?? 0), 'answer', 'answers');
		return {
			id: a.id,
			title: a.title,
			href: `/assessments/${a.id}`,
			details: [
				open
					? `Round ${a.number} is open until the end of ${lastDay}: ${answers} so far`
					: `Round ${a.number} is closed: ${answers}`
			],
			actions: open
				? []
				: [
						{
							href: `/assessments/${a.id}/results`,
							label: 'See the results',
							context: `of ${a.title}`
						}
					]
		};
	});
}

/** Checks the member took on their own and saved, newest first. */
export async function mySavedChecks(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('self_check')
		.select(['id', 'label', 'created_at'])
		.where('user_id', '=', member.id)
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((c) => ({
		id: c.id,
		title: c.label ?? `A check you took on ${formatDate(c.created_at, o.timeZone)}`,
		href: `/assessments/check/saved/${c.id}`,
		details: [`Saved on ${formatDate(c.created_at, o.timeZone)}`],
		actions: []
	}));
}
