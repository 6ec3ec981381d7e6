import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { STATEMENT_NOT_FOUND } from '$lib/server/statements/statements.http';
import {
	STATEMENT_SLUG,
	compareVersions,
	parseCompareQuery
} from '$lib/server/statements/statements.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const { from, to } = parseCompareQuery(url.searchParams);
	const view = await compareVersions(app().database.db, STATEMENT_SLUG, from, to);
	if (!view) error(404, STATEMENT_NOT_FOUND);
	return view;
};
