import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	REPORT_NOT_FOUND,
	formText,
	parseDirection,
	reportRefusal
} from '$lib/server/enquiries/report.http';
import { moveSection, viewDraftReport } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	saved: 'Saved.',
	'section-deleted': 'The section and its quotes are deleted.',
	published: 'The report is published. Everyone can read it on the enquiry’s page.',
	'raw-deleted':
		'The transcripts, excerpts, codes and memos are deleted. The report and its quotes stay.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() => viewDraftReport(app().database.db, user, event.params.id));
	if (!view) error(404, REPORT_NOT_FOUND);
	const params = event.url.searchParams;
	const post = params.get('post') ?? '';
	const announcement = params.get('announcement') ?? '';
	return {
		...view,
		notice: NOTICES[params.get('notice') ?? ''] ?? null,
		// Only addresses of the shape the publish step makes; nothing else from the query is linked.
		postEditPath: /^[a-z0-9-]{1,200}$/.test(post) ? `/blog/${post}/edit` : null,
		announcementEditPath: /^[A-Za-z0-9_-]{22}$/.test(announcement)
			? `/updates/announcements/new?edit=${announcement}`
			: null
	};
};

export const actions: Actions = {
	move: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const result = await refusedAs403(() =>
			moveSection(
				app().database.db,
				user,
				event.params.id,
				formText(form, 'sectionId'),
				parseDirection(form.get('direction'))
			)
		);
		if (!result.ok) return reportRefusal(result);
		redirect(303, `/enquiries/${event.params.id}/report#section-${formText(form, 'sectionId')}`);
	}
};
