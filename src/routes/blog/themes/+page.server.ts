import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { themeSchema } from '$lib/server/posts/posts.schema';
import {
	addTheme,
	renameTheme,
	setThemeStatus,
	themesPage
} from '$lib/server/posts/themes.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	added: 'The theme is added. Writers can choose it now.',
	suggested: 'Thank you. A curator will look at your suggestion.',
	renamed: 'The theme is renamed.',
	active: 'The theme is on the list.',
	declined: 'The suggestion is declined.',
	retired: 'The theme is retired. Posts keep it, but writers no longer see it.'
};

export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const themes = await themesPage(app().database.db, event.locals.user);
	return {
		...themes,
		signedIn: !!event.locals.user,
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const form = parseForm(themeSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() => addTheme(app().database.db, user, form.data));
		if (!result.ok) return invalid(form.values, result.errors);
		redirect(
			303,
			`/blog/themes?notice=${result.theme.status === 'active' ? 'added' : 'suggested'}`
		);
	},
	rename: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		const form = parseForm(themeSchema, data);
		const key = `name-${id}`;
		if (!form.ok) return invalid(form.values, { [key]: form.errors.name ?? 'Check the name' });
		const result = await refusedAs403(() => renameTheme(app().database.db, user, id, form.data));
		if (!result.ok)
			return invalid(form.values, { [key]: result.errors.name ?? result.errors.form ?? '' });
		redirect(303, '/blog/themes?notice=renamed');
	},
	status: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const status = String(data.get('status') ?? '');
		if (status !== 'active' && status !== 'declined' && status !== 'retired')
			error(400, 'Choose to accept, decline or retire the theme.');
		const theme = await refusedAs403(() =>
			setThemeStatus(app().database.db, user, String(data.get('id') ?? ''), status)
		);
		if (!theme) error(404, 'This theme cannot be changed that way any more.');
		redirect(303, `/blog/themes?notice=${status}`);
	}
};
