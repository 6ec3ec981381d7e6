import { error, fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { seedCodebook, viewCodebook } from '$lib/server/enquiries/codebook.service';
import { SEED_CODEBOOK } from '$lib/server/enquiries/codebook.seed';
import { CODING_NOT_FOUND, teamRead } from '$lib/server/enquiries/coding.http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const book = await teamRead(event, (user) =>
		viewCodebook(app().database.db, user, event.params.id)
	);
	return {
		enquiry: book.enquiry,
		role: book.role,
		canSeed: book.canWork && book.total === 0,
		themes: SEED_CODEBOOK
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() => seedCodebook(app().database.db, user, event.params.id));
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, CODING_NOT_FOUND);
			return fail(409, {
				errors: { form: 'The codebook already has codes, so the themes were not added.' }
			});
		}
		redirect(303, `/enquiries/${event.params.id}/codes?notice=seeded`);
	}
};
