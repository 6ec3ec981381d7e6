import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { IDEA_NOT_FOUND, ideaRefusal } from '$lib/server/ideas/ideas.http';
import {
	SUPPORT_LIST_FIELDS,
	commentIdSchema,
	editIdeaCommentSchema,
	ideaCommentSchema,
	supportSchema
} from '$lib/server/ideas/ideas.schema';
import {
	SUPPORT_WAY_LABELS,
	commentOnIdea,
	deleteOwnIdeaComment,
	editIdeaComment,
	removeIdea,
	supportIdea,
	viewIdea,
	withdrawSupport
} from '$lib/server/ideas/ideas.service';
import { enquiriesThatLedTo } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	posted: 'Your idea is posted. Share it so others can add their support.',
	saved: 'Your idea is saved.',
	supported: 'Thank you: your support is added. The person who posted the idea is told.',
	'support-changed': 'Your support is changed.',
	withdrawn: 'You no longer support this idea.',
	commented: 'Your comment is added.',
	'comment-edited': 'Your comment is saved.',
	'comment-deleted': 'Your comment is deleted.',
	moved: 'The idea has moved on. Everyone who supports it is told, with your note.',
	became: 'Done: the idea now links to what it became, and is marked as happening.'
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const view = await viewIdea(app().database.db, locals.user, params.slug);
	if (!view) error(404, IDEA_NOT_FOUND);
	const notice = url.searchParams.get('notice') ?? '';
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: app().config.timeZone
		});
	return {
		...view,
		followedFrom: await enquiriesThatLedTo(app().database.db, 'idea', view.idea.id),
		posted: date(view.idea.createdAt),
		history: view.history.map((h) => ({ ...h, date: date(h.at) })),
		comments: view.comments.map((c) => ({ ...c, date: date(c.createdAt) })),
		ways: Object.entries(SUPPORT_WAY_LABELS).map(([value, label]) => ({ value, label })),
		notice: NOTICES[notice] ?? null
	};
};

const here = (slug: string, notice: string, anchor = '') =>
	`/ideas/${slug}?notice=${notice}${anchor}`;

export const actions: Actions = {
	support: async (event) => {
		const user = requireUser(event);
		const form = parseForm(supportSchema, await event.request.formData(), {
			listFields: SUPPORT_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			supportIdea(app().database.db, user, event.params.slug, form.data)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result, 'ways');
		redirect(
			303,
			here(event.params.slug, result.changed ? 'support-changed' : 'supported', '#supporters')
		);
	},
	withdraw: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			withdrawSupport(app().database.db, user, event.params.slug)
		);
		if (!result.ok) error(404, IDEA_NOT_FOUND);
		redirect(303, here(event.params.slug, 'withdrawn', '#supporters'));
	},
	comment: async (event) => {
		const user = requireUser(event);
		const form = parseForm(ideaCommentSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			commentOnIdea(app().database.db, user, event.params.slug, form.data.body)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result, 'body');
		redirect(303, here(event.params.slug, 'commented', `#comment-${result.id}`));
	},
	editComment: async (event) => {
		const user = requireUser(event);
		const form = parseForm(editIdeaCommentSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			editIdeaComment(app().database.db, user, event.params.slug, form.data.id, form.data.body)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result, 'body');
		redirect(303, here(event.params.slug, 'comment-edited', `#comment-${form.data.id}`));
	},
	deleteComment: async (event) => {
		const user = requireUser(event);
		const form = parseForm(commentIdSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			deleteOwnIdeaComment(app().database.db, user, event.params.slug, form.data.id)
		);
		if (!result.ok) return ideaRefusal(event, form.values, result);
		redirect(303, here(event.params.slug, 'comment-deleted', '#comments'));
	},
	remove: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() => removeIdea(app().database.db, user, event.params.slug));
		if (!result.ok) error(404, IDEA_NOT_FOUND);
		redirect(303, '/ideas');
	}
};
