import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { postHistory } from '$lib/server/posts/posts.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const history = await refusedAs403(() => postHistory(app().database.db, user, event.params.slug));
	if (!history) error(404, 'Page not found');
	return {
		post: { slug: history.post.slug, title: history.post.title },
		entries: history.entries
	};
};
