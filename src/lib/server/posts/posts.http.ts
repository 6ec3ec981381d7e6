import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '../app';
import { requireUser } from '../auth/auth.http';
import { allErrors, parseForm, type FormValues } from '../forms';
import { refusedAs403 } from '../http/refusals';
import { pictureField, uploadLimit } from '../uploads/uploads';
import { describeBytes } from '../http/body-guard';
import { postSchema } from './posts.schema';
import {
	addPostImage,
	editorChoices,
	previewPostBody,
	savePost,
	type SaveIntent
} from './posts.service';
import { writingHints } from './posts.writing-hints';

/**
 * The editor's form actions, shared by /blog/new and /blog/[slug]/edit: each button of the one
 * form (save, publish, preview, add an image) comes here with everything typed, and anything
 * wrong comes back beside its field with the text kept.
 */

/** What the image field says under its label. */
export function postImageHint(): string {
	return `A JPEG, PNG, WebP or GIF image, up to ${describeBytes(uploadLimit(app().config))}. Moving GIFs stay moving. We remove the location and camera details before we keep it.`;
}

/** The editor's choices, for a page's load. */
export async function editorData(event: RequestEvent) {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		choices: await editorChoices(app().database.db, user),
		imageHint: postImageHint(),
		timeZone: app().config.timeZone
	};
}

function failWith(
	status: number,
	values: FormValues,
	errors: Record<string, string>,
	body: string
) {
	return fail(status, { values, errors, hints: writingHints(body) });
}

async function save(event: RequestEvent, intent: SaveIntent, slug?: string) {
	const user = requireUser(event);
	const form = parseForm(postSchema, await event.request.formData(), { listFields: ['themes'] });
	const body = typeof form.values.body === 'string' ? form.values.body : '';
	if (!form.ok) return failWith(400, form.values, allErrors(postSchema, form.errors, {}), body);
	const result = await refusedAs403(() =>
		savePost(app().database.db, user, form.data, {
			slug,
			intent,
			timeZone: app().config.timeZone
		})
	);
	if (!result.ok) {
		if (result.status === 404) error(404, 'Page not found');
		if (result.status === 429) event.setHeaders({ 'retry-after': '3600' });
		return failWith(
			result.status ?? 400,
			form.values,
			allErrors(postSchema, {}, result.errors),
			body
		);
	}
	const notice = result.waiting
		? 'waiting'
		: result.scheduled
			? 'scheduled'
			: result.post.status === 'published'
				? 'published'
				: 'saved';
	redirect(303, `/blog/${result.post.slug}/edit?notice=${notice}`);
}

async function preview(event: RequestEvent) {
	const user = requireUser(event);
	const data = await event.request.formData();
	const form = parseForm(postSchema, data, { listFields: ['themes'] });
	const body = typeof form.values.body === 'string' ? form.values.body : '';
	const html = await refusedAs403(() => previewPostBody(app().database.db, user, body));
	return { values: form.values, preview: html, hints: writingHints(body) };
}

async function image(event: RequestEvent) {
	const user = requireUser(event);
	const data = await event.request.formData();
	const form = parseForm(postSchema, data, { listFields: ['themes'] });
	const body = typeof form.values.body === 'string' ? form.values.body : '';
	const alt = typeof form.values.imageAlt === 'string' ? form.values.imageAlt : '';
	const result = await refusedAs403(() =>
		addPostImage(app().database.db, user, body, alt, pictureField(app().config, data, 'image'))
	);
	if (!result.ok) return failWith(400, form.values, result.errors, body);
	const values = { ...form.values, body: result.body, imageAlt: '' };
	return { values, imageAdded: true, hints: writingHints(result.body) };
}

/** Every button of the editor, for a page's `actions`. */
export function editorActions(slugOf: (event: RequestEvent) => string | undefined) {
	return {
		save: (event: RequestEvent) => save(event, 'draft', slugOf(event)),
		publish: (event: RequestEvent) => save(event, 'publish', slugOf(event)),
		preview,
		image
	};
}
