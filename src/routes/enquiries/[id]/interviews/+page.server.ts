import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND } from '$lib/server/enquiries/enquiries.http';
import { listInterviews } from '$lib/server/enquiries/participants.service';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = { deleted: 'The interview is deleted.' };

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const requested = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await refusedAs403(() =>
		listInterviews(app().database.db, user, event.params.id, page)
	);
	if (!list) error(404, ENQUIRY_NOT_FOUND);
	const day = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: 'UTC'
		});
	return {
		...list,
		interviews: list.interviews.map((i) => ({ ...i, heldOn: i.held_on ? day(i.held_on) : null })),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};
