import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { MyColabItem, MyColabLoadOptions } from '../my-colab/my-colab.types';
import { requestStatusLabel } from './requests.service';

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/**
 * My CoLab: requests to champions the member asked or holds as a champion and that are not
 * closed yet, most recently changed first, in one query.
 */
export async function myChampionRequests(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('champion_request as r')
		.innerJoin('app_user as a', 'a.id', 'r.asker_id')
		.leftJoin('champion as c', 'c.id', 'r.champion_id')
		.leftJoin('app_user as cu', 'cu.id', 'c.user_id')
		.select([
			'r.id',
			'r.body',
			'r.status',
			'r.asker_id',
			'a.name as asker_name',
			'cu.name as champion_name'
		])
		.where((eb) => eb.or([eb('r.asker_id', '=', member.id), eb('c.user_id', '=', member.id)]))
		.where('r.status', '!=', 'closed')
		.orderBy('r.updated_at', 'desc')
		.orderBy('r.id')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((r) => {
		const asked = r.asker_id === member.id;
		return {
			id: r.id,
			title: asked
				? `To ${r.champion_name ?? 'a champion who has left'}: ${excerpt(r.body)}`
				: `From ${r.asker_name}: ${excerpt(r.body)}`,
			href: `/champions/requests/${r.id}`,
			details: [requestStatusLabel(r.status)],
			actions: []
		};
	});
}
