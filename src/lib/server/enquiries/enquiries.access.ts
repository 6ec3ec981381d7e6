import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { EnquiryAccess } from './enquiries.permissions';
import type { Enquiry } from './enquiries.tables';

/**
 * The enquiry and the person's place on its team, in one query: what every page and use case of
 * the feature reads first. Undefined when there is no such enquiry.
 */
export async function findEnquiryAccess(
	db: Kysely<DB>,
	enquiryId: string,
	userId: string | null
): Promise<(EnquiryAccess & { enquiry: Enquiry }) | undefined> {
	const row = await db
		.selectFrom('enquiry')
		.leftJoin('enquiry_member', (join) =>
			join
				.onRef('enquiry_member.enquiry_id', '=', 'enquiry.id')
				.on('enquiry_member.user_id', '=', userId ?? '')
		)
		.selectAll('enquiry')
		.select('enquiry_member.role as member_role')
		.where('enquiry.id', '=', enquiryId)
		.executeTakeFirst();
	if (!row) return undefined;
	const { member_role, ...enquiry } = row;
	return {
		enquiry,
		stage: enquiry.stage,
		raw_deleted_at: enquiry.raw_deleted_at,
		role: userId ? (member_role ?? null) : null
	};
}
