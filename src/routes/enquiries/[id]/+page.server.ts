import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { ENQUIRY_NOT_FOUND } from '$lib/server/enquiries/enquiries.http';
import { STAGE_HINTS, STAGE_LABELS, viewEnquiry } from '$lib/server/enquiries/enquiries.service';
import { ENQUIRY_STAGES } from '$lib/server/enquiries/enquiries.tables';
import { readPublishedReport } from '$lib/server/enquiries/report.service';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	started: 'Your enquiry has started. You lead it: invite others onto the team when you are ready.',
	saved: 'The enquiry’s details are saved.',
	moved: 'The enquiry has moved to its new stage.',
	joined: 'You have joined the enquiry’s team.'
};

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const db = app().database.db;
	const view = await viewEnquiry(db, locals.user, params.id);
	if (!view) error(404, ENQUIRY_NOT_FOUND);
	// The published report lives here; consent is applied as it is read.
	const report =
		view.enquiry.stage === 'published' ? await readPublishedReport(db, params.id) : null;
	const date = (iso: string) =>
		new Date(iso).toLocaleString('en-GB', {
			weekday: 'long',
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			hour: 'numeric',
			minute: '2-digit',
			timeZone: app().config.timeZone
		});
	return {
		...view,
		report,
		sessions: view.sessions.map((s) => ({ ...s, when: date(s.starts_at) })),
		stages: ENQUIRY_STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s], hint: STAGE_HINTS[s] })),
		notice: NOTICES[url.searchParams.get('notice') ?? ''] ?? null
	};
};
