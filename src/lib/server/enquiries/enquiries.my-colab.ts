import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { MyColabItem, MyColabLoadOptions } from '../my-colab/my-colab.types';
import { ROLE_LABELS, STAGE_LABELS } from './enquiries.service';

/** The enquiries the member is on, newest first, in one query. */
export async function myEnquiries(
	db: Kysely<DB>,
	member: SessionUser,
	o: MyColabLoadOptions
): Promise<MyColabItem[]> {
	const rows = await db
		.selectFrom('enquiry_member as m')
		.innerJoin('enquiry as e', 'e.id', 'm.enquiry_id')
		.select(['e.id', 'e.title', 'e.stage', 'm.role'])
		.where('m.user_id', '=', member.id)
		.orderBy('e.created_at', 'desc')
		.orderBy('e.id', 'desc')
		.limit(o.limit)
		.offset(o.offset)
		.execute();
	return rows.map((e) => ({
		id: e.id,
		title: e.title,
		href: `/enquiries/${e.id}`,
		details: [`${ROLE_LABELS[e.role]} · ${STAGE_LABELS[e.stage]}`],
		actions: [
			{ href: `/enquiries/${e.id}/interviews`, label: 'Interviews', context: `of ${e.title}` }
		]
	}));
}
