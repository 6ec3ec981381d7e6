import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { codeSchema } from '$lib/server/enquiries/codebook.schema';
import { createCode, flattenTree, viewCodebook } from '$lib/server/enquiries/codebook.service';
import { CODING_NOT_FOUND, teamRead } from '$lib/server/enquiries/coding.http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const book = await teamRead(event, (user) =>
		viewCodebook(app().database.db, user, event.params.id)
	);
	if (!book.canWork) error(403, 'The raw material of this enquiry has been deleted.');
	return {
		enquiry: book.enquiry,
		role: book.role,
		parents: flattenTree(book.tree).map((c) => ({
			value: c.id,
			label: `${'— '.repeat(c.depth)}${c.name}`
		}))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(codeSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			createCode(app().database.db, user, event.params.id, form.data)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, CODING_NOT_FOUND);
			return invalid(form.values, result.errors);
		}
		redirect(303, `/enquiries/${event.params.id}/codes/${result.id}?notice=added`);
	}
};
