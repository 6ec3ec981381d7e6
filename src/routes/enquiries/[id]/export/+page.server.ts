import { app } from '$lib/server/app';
import { viewCodebook } from '$lib/server/enquiries/codebook.service';
import { teamRead } from '$lib/server/enquiries/coding.http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const book = await teamRead(event, (user) =>
		viewCodebook(app().database.db, user, event.params.id)
	);
	return { enquiry: book.enquiry, role: book.role };
};
