import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { listMyPosts, POSTS_PAGE_SIZE } from '$lib/server/posts/posts.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const asked = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
	const { posts, total } = await listMyPosts(app().database.db, user, page);
	return { posts, page, pageCount: Math.max(1, Math.ceil(total / POSTS_PAGE_SIZE)), total };
};
