import { app } from '$lib/server/app';
import { dateTimeFormatter, requireAdministrator } from '$lib/server/admin/admin.http';
import { canReadAuditLog } from '$lib/server/admin/admin.permissions';
import { PER_PAGE, pageSchema, queryValues } from '$lib/server/admin/admin.schema';
import { listAudit } from '$lib/server/admin/admin.service';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireAdministrator(event);
	if (!canReadAuditLog(user)) error(403, 'Only administrators can read the audit log.');
	const { page } = pageSchema.parse(queryValues(event.url.searchParams));
	const result = await listAudit(app().database.db, { page, perPage: PER_PAGE });
	const date = dateTimeFormatter(app().config.timeZone);
	return {
		entries: result.items.map((e) => ({
			id: e.id,
			when: date(e.createdAt),
			who: e.actorName,
			// Link to the person it is about while they still have an account.
			person:
				e.targetType === 'user' && e.targetName && e.targetId
					? { id: e.targetId, name: e.targetName }
					: null,
			what: e.summary
		})),
		total: result.total,
		page: result.page,
		pageCount: result.pageCount
	};
};
