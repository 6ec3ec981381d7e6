import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { mergeSchema } from '$lib/server/enquiries/codebook.schema';
import { flattenTree, mergeCode, viewCodebook } from '$lib/server/enquiries/codebook.service';
import { CODING_NOT_FOUND, teamRead } from '$lib/server/enquiries/coding.http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const book = await teamRead(event, (user) =>
		viewCodebook(app().database.db, user, event.params.id)
	);
	if (!book.canWork) error(403, 'The raw material of this enquiry has been deleted.');
	const all = flattenTree(book.tree);
	const code = all.find((c) => c.id === event.params.codeId);
	if (!code) error(404, CODING_NOT_FOUND);
	return {
		enquiry: book.enquiry,
		role: book.role,
		code: { id: code.id, name: code.name, count: code.count },
		targets: all
			.filter((c) => c.id !== code.id)
			.map((c) => ({ value: c.id, label: `${'— '.repeat(c.depth)}${c.name}` }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(mergeSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			mergeCode(app().database.db, user, event.params.id, event.params.codeId, form.data.into)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, CODING_NOT_FOUND);
			return invalid(form.values, result.errors);
		}
		redirect(303, `/enquiries/${event.params.id}/codes/${result.id}?notice=merged`);
	}
};
