import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { countPeopleByRole, listAudit } from '$lib/server/admin/admin.service';
import { listMailProblems } from '$lib/server/mail/mail.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdministrator(event);
	const { db } = app().database;
	const [roles, audit, mail] = await Promise.all([
		countPeopleByRole(db),
		listAudit(db, { perPage: 1 }),
		listMailProblems(db, { perPage: 1 })
	]);
	return { roles, auditEntries: audit.total, mailProblems: mail.total };
};
