import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { codeSchema } from '$lib/server/enquiries/codebook.schema';
import {
	deleteCode,
	flattenTree,
	updateCode,
	viewCodebook
} from '$lib/server/enquiries/codebook.service';
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
		values: { name: code.name, description: code.description, parent: code.parent_id ?? '' },
		parents: all
			.filter((c) => c.id !== code.id)
			.map((c) => ({ value: c.id, label: `${'— '.repeat(c.depth)}${c.name}` }))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event);
		const form = parseForm(codeSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			updateCode(app().database.db, user, event.params.id, event.params.codeId, form.data)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, CODING_NOT_FOUND);
			return invalid(form.values, result.errors);
		}
		redirect(303, `/enquiries/${event.params.id}/codes/${event.params.codeId}?notice=saved`);
	},
	delete: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		if (data.get('confirm') !== 'yes')
			return invalid(
				{},
				{ confirm: 'Tick the box to confirm that the code and its codings should go' }
			);
		const result = await refusedAs403(() =>
			deleteCode(app().database.db, user, event.params.id, event.params.codeId)
		);
		if (!result.ok) error(404, CODING_NOT_FOUND);
		redirect(303, `/enquiries/${event.params.id}/codes?notice=deleted`);
	}
};
