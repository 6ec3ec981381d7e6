import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { memoSchema } from '$lib/server/enquiries/codebook.schema';
import { addMemo, changeOwnMemo } from '$lib/server/enquiries/codebook.memos';
import { CODING_NOT_FOUND, pageNumber, teamRead } from '$lib/server/enquiries/coding.http';
import { viewCode } from '$lib/server/enquiries/coding.views';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	teamRead(event, (user) =>
		viewCode(app().database.db, user, event.params.id, event.params.codeId, pageNumber(event.url))
	);

const back = (params: { id: string; codeId: string }, notice: string) =>
	redirect(303, `/enquiries/${params.id}/codes/${params.codeId}?notice=${notice}#memos`);

export const actions: Actions = {
	memo: async (event) => {
		const user = requireUser(event);
		const form = parseForm(memoSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			addMemo(app().database.db, user, event.params.id, event.params.codeId, form.data.body)
		);
		if (!result.ok) error(404, CODING_NOT_FOUND);
		back(event.params, 'memo-added');
	},
	editMemo: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const memoId = String(data.get('memo') ?? '');
		const form = parseForm(memoSchema, data);
		if (!form.ok)
			return invalid(
				{ ...form.values, memo: memoId },
				{ [`memo-${memoId}`]: form.errors.body ?? '' }
			);
		const result = await refusedAs403(() =>
			changeOwnMemo(app().database.db, user, event.params.id, memoId, form.data.body)
		);
		if (!result.ok)
			error(
				result.reason === 'not-yours' ? 403 : 404,
				result.reason === 'not-yours' ? 'You can change only your own memos.' : CODING_NOT_FOUND
			);
		back(event.params, 'memo-saved');
	},
	deleteMemo: async (event) => {
		const user = requireUser(event);
		const memoId = String((await event.request.formData()).get('memo') ?? '');
		const result = await refusedAs403(() =>
			changeOwnMemo(app().database.db, user, event.params.id, memoId, null)
		);
		if (!result.ok)
			error(
				result.reason === 'not-yours' ? 403 : 404,
				result.reason === 'not-yours' ? 'You can delete only your own memos.' : CODING_NOT_FOUND
			);
		back(event.params, 'memo-deleted');
	}
};
