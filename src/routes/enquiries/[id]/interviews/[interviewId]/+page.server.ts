import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { viewInterview } from '$lib/server/enquiries/participants.service';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	recorded: 'The interview is recorded.',
	saved: 'The interview is saved.'
};
const FORMATS: Record<string, string> = {
	typed: 'typed in',
	text: 'from a text file',
	markdown: 'from a Markdown file',
	docx: 'from a Word document',
	vtt: 'from a captions file'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() =>
		viewInterview(app().database.db, user, event.params.id, event.params.interviewId)
	);
	if (!view) error(404, 'We could not find that interview.');
	return {
		...view,
		heldOn: view.interview.held_on
			? new Date(view.interview.held_on).toLocaleDateString('en-GB', {
					day: 'numeric',
					month: 'long',
					year: 'numeric',
					timeZone: 'UTC'
				})
			: null,
		source: FORMATS[view.interview.source_format] ?? '',
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};
