import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	addLibraryWord,
	libraryWordsForCurators,
	setLibraryWordStatus
} from '$lib/server/library/words.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	added: 'The word is added. People can choose it now.',
	retired: 'The word is retired. What has it keeps it; nobody new can choose it.',
	active: 'The word is offered again.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const words = await refusedAs403(() => libraryWordsForCurators(app().database.db, user));
	const strip = (list: typeof words.benefits) =>
		list.map((t) => ({ id: t.id, label: t.label, status: t.status }));
	return {
		lists: [
			{ kind: 'service-area', title: 'Service areas', words: strip(words.serviceAreas) },
			{ kind: 'benefit', title: 'Benefits', words: strip(words.benefits) },
			{ kind: 'barrier', title: 'Barriers', words: strip(words.barriers) }
		],
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

async function setStatus(event: Parameters<Actions[string]>[0], status: 'active' | 'retired') {
	const user = requireUser(event);
	const id = String((await event.request.formData()).get('id') ?? '');
	const tag = await refusedAs403(() => setLibraryWordStatus(app().database.db, user, id, status));
	if (!tag) error(404, 'There is no such word.');
	redirect(303, `/library/words?notice=${status}`);
}

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const raw = { kind: String(data.get('kind') ?? ''), label: String(data.get('label') ?? '') };
		const result = await refusedAs403(() => addLibraryWord(app().database.db, user, raw));
		if (!result.ok) return invalid(raw, result.errors);
		redirect(303, '/library/words?notice=added');
	},
	retire: (event) => setStatus(event, 'retired'),
	restore: (event) => setStatus(event, 'active')
};
