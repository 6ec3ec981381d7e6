import { editorActions, editorData } from '$lib/server/posts/posts.http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => editorData(event);

export const actions: Actions = editorActions(() => undefined);
