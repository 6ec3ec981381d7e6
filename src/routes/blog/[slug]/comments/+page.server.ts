import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm, type FormValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	closeCommentsSchema,
	commentSchema,
	deleteCommentSchema,
	editCommentSchema
} from '$lib/server/comments/comments.schema';
import {
	addComment,
	deleteComment,
	describeCommentRefusal,
	editComment,
	loadThread,
	setCommentsOpen,
	type CommentFailure
} from '$lib/server/comments/comments.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const page = Math.max(1, Math.min(10_000, Number(event.url.searchParams.get('page')) || 1));
	const { config, database } = app();
	const thread = await loadThread(
		database.db,
		event.locals.user,
		event.params.slug,
		page,
		undefined,
		config.timeZone
	);
	if (!thread) error(404, 'We could not find that post. It may not be published yet.');
	return {
		thread,
		editing: event.url.searchParams.get('edit'),
		replying: event.url.searchParams.get('reply'),
		notice: event.url.searchParams.get('notice')
	};
};

/**
 * Where to go after a change: back to the page the form was on (this page or the post page,
 * which embeds the same thread), never anywhere else.
 */
function returnTo(event: RequestEvent, values: FormValues, hash = ''): string {
	const slug = event.params.slug ?? '';
	const wanted = typeof values.returnTo === 'string' ? values.returnTo : '';
	const own = `/blog/${slug}`;
	const base = wanted === own || wanted === `${own}/comments` ? wanted : `${own}/comments`;
	return `${base}${hash}`;
}

const STATUS: Partial<Record<CommentFailure['reason'], number>> = {
	'rate-limited': 429,
	'no-post': 404,
	gone: 404
};

function refused(event: RequestEvent, values: FormValues, failure: CommentFailure) {
	if (failure.retryAfterSeconds)
		event.setHeaders({ 'retry-after': String(failure.retryAfterSeconds) });
	return invalid(
		values,
		{ body: describeCommentRefusal(failure, app().config.timeZone) },
		STATUS[failure.reason] ?? 409
	);
}

/** Adds a comment, or a reply when the form names the comment replied to. */
async function send(event: RequestEvent) {
	const user = requireUser(event);
	const form = parseForm(commentSchema, await event.request.formData());
	// A robot filled in the field people cannot see: act as if it worked, keep nothing.
	if (form.values.website) redirect(303, returnTo(event, form.values));
	if (!form.ok) return invalid(form.values, form.errors);
	const result = await refusedAs403(() =>
		addComment(app().database.db, user, event.params.slug ?? '', form.data)
	);
	if (!result.ok) return refused(event, form.values, result);
	redirect(303, returnTo(event, form.values, `#comment-${result.id}`));
}

export const actions: Actions = {
	add: send,
	reply: send,
	edit: async (event) => {
		const user = requireUser(event);
		const form = parseForm(editCommentSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			editComment(app().database.db, user, form.data.id, form.data.body)
		);
		if (!result.ok) return refused(event, form.values, result);
		redirect(303, returnTo(event, form.values, `#comment-${form.data.id}`));
	},
	delete: async (event) => {
		const user = requireUser(event);
		const form = parseForm(deleteCommentSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() => deleteComment(app().database.db, user, form.data.id));
		if (!result.ok) return refused(event, form.values, result);
		const back = returnTo(event, form.values);
		redirect(303, `${back}${back.includes('?') ? '&' : '?'}notice=deleted#comments`);
	},
	close: async (event) => {
		const user = requireUser(event);
		const form = parseForm(closeCommentsSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			setCommentsOpen(app().database.db, user, event.params.slug ?? '', form.data.closed === 'no')
		);
		if (!result.ok) error(404, 'We could not find that post.');
		redirect(303, returnTo(event, form.values, '#comments'));
	}
};
