import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { decisionAddresses } from '$lib/server/statements/statements.decisions';
import { requireUser } from '$lib/server/auth/auth.http';
import { parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { AMENDMENT_NOT_FOUND, refusal } from '$lib/server/statements/statements.http';
import { commentIdSchema, commentSchema } from '$lib/server/statements/statements.schema';
import {
	STATUS_LABELS,
	KIND_LABELS,
	addComment,
	deleteComment,
	editComment,
	supportAmendment,
	viewAmendment,
	withdrawAmendment
} from '$lib/server/statements/statements.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	proposed: 'Your amendment is proposed. Others can now comment on it and support it.',
	supported: 'You support this amendment.',
	unsupported: 'You no longer support this amendment.',
	commented: 'Your comment is added.',
	edited: 'Your comment is saved.',
	removed: 'Your comment is removed.',
	withdrawn: 'You have withdrawn this amendment.'
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const db = app().database.db;
	const view = await viewAmendment(db, locals.user, params.id);
	if (!view) error(404, AMENDMENT_NOT_FOUND);
	const decisionId = view.amendment.decision_id;
	const decisionPath = (await decisionAddresses(db, [decisionId])).get(decisionId ?? '') ?? null;
	const notice = url.searchParams.get('notice') ?? '';
	return {
		...view,
		statusLabel: STATUS_LABELS[view.amendment.status],
		kindLabel: KIND_LABELS[view.amendment.kind],
		editing: url.searchParams.get('edit'),
		notice: NOTICES[notice] ?? null,
		signedIn: !!locals.user,
		/** The decision it was put to (members only: visitors are asked to sign in). */
		decisionPath
	};
};

const back = (id: string, notice: string, hash = '') =>
	redirect(303, `/statement/amendments/${id}?notice=${notice}${hash}`);

export const actions: Actions = {
	support: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			supportAmendment(app().database.db, user, event.params.id, true)
		);
		if (!result.ok) return refusal(event, {}, result, AMENDMENT_NOT_FOUND);
		back(event.params.id, 'supported');
	},
	unsupport: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			supportAmendment(app().database.db, user, event.params.id, false)
		);
		if (!result.ok) return refusal(event, {}, result, AMENDMENT_NOT_FOUND);
		back(event.params.id, 'unsupported');
	},
	withdraw: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			withdrawAmendment(app().database.db, user, event.params.id)
		);
		if (!result.ok) return refusal(event, {}, result, AMENDMENT_NOT_FOUND);
		back(event.params.id, 'withdrawn');
	},
	comment: async (event) => {
		const user = requireUser(event);
		const form = parseForm(commentSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors: form.errors });
		const result = await refusedAs403(() =>
			addComment(app().database.db, user, event.params.id, form.data)
		);
		if (!result.ok) return refusal(event, form.values, result, AMENDMENT_NOT_FOUND);
		back(event.params.id, 'commented', `#comment-${result.id}`);
	},
	edit: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const which = parseForm(commentIdSchema, data);
		const form = parseForm(commentSchema, data);
		if (!which.ok) error(404, AMENDMENT_NOT_FOUND);
		if (!form.ok)
			return refusal(
				event,
				{ ...form.values, commentId: which.data.commentId },
				{
					ok: false,
					reason: 'invalid',
					errors: { editBody: form.errors.body ?? 'Write your comment' }
				}
			);
		const result = await refusedAs403(() =>
			editComment(app().database.db, user, which.data.commentId, form.data)
		);
		if (!result.ok)
			return refusal(
				event,
				{ ...form.values, commentId: which.data.commentId },
				result,
				AMENDMENT_NOT_FOUND
			);
		back(event.params.id, 'edited', `#comment-${which.data.commentId}`);
	},
	remove: async (event) => {
		const user = requireUser(event);
		const which = parseForm(commentIdSchema, await event.request.formData());
		if (!which.ok) error(404, AMENDMENT_NOT_FOUND);
		const result = await refusedAs403(() =>
			deleteComment(app().database.db, user, which.data.commentId)
		);
		if (!result.ok) error(404, AMENDMENT_NOT_FOUND);
		back(event.params.id, 'removed');
	}
};
