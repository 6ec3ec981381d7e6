import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { listArchive } from '$lib/server/updates/announcements.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const raw = url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(page) || page < 1) error(404, 'There is no such page of announcements.');
	const archive = await listArchive(app().database.db, page);
	if (page > archive.totalPages) error(404, 'There is no such page of announcements.');
	return { ...archive, page, timeZone: app().config.timeZone };
};
