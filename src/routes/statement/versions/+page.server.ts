import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { decisionAddresses } from '$lib/server/statements/statements.decisions';
import { STATEMENT_NOT_FOUND } from '$lib/server/statements/statements.http';
import { listVersions } from '$lib/server/statements/statements.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const db = app().database.db;
	const view = await listVersions(db);
	if (!view) error(404, STATEMENT_NOT_FOUND);
	const decisions = await decisionAddresses(
		db,
		view.versions.map((v) => v.decision_id)
	);
	return { ...view, decisionPaths: Object.fromEntries(decisions) };
};
