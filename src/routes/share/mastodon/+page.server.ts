import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { invalid, parseForm } from '$lib/server/forms';
import { MAX_SHARE_TEXT, mastodonHost, mastodonShareUrl } from '$lib/share';
import type { Actions, PageServerLoad } from './$types';

const schema = z.object({
	server: z
		.string()
		.trim()
		.min(1, 'Enter the name of your Mastodon server, like mastodon.social.')
		.refine((v) => !!mastodonHost(v), {
			message:
				'Enter a server name like mastodon.social (the part after the second @ in your handle).'
		}),
	text: z
		.string()
		.trim()
		.min(1, 'There is nothing to share. Go back to the page and choose Share on Mastodon again.')
		.max(MAX_SHARE_TEXT, `What you share can be at most ${MAX_SHARE_TEXT} characters.`)
});

export const load: PageServerLoad = ({ url }) => ({
	text: (url.searchParams.get('text') ?? '').slice(0, MAX_SHARE_TEXT * 2)
});

export const actions: Actions = {
	// Only sends the reader on: nothing is stored, so no rate limit is needed.
	default: async ({ request }) => {
		const form = parseForm(schema, await request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		redirect(303, mastodonShareUrl(mastodonHost(form.data.server)!, form.data.text));
	}
};
