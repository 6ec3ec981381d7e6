import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND } from '$lib/server/enquiries/enquiries.http';
import { listParticipants } from '$lib/server/enquiries/participants.service';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	withdrawn: 'The withdrawal is recorded, and everything they said has been deleted.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const requested = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await refusedAs403(() =>
		listParticipants(app().database.db, user, event.params.id, page)
	);
	if (!list) error(404, ENQUIRY_NOT_FOUND);
	return { ...list, notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null };
};
