import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { STATEMENT_NOT_FOUND } from '$lib/server/statements/statements.http';
import { viewPrintable } from '$lib/server/statements/statements.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const view = await viewPrintable(app().database.db);
	if (!view) error(404, STATEMENT_NOT_FOUND);
	return view;
};
