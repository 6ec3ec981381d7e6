import { app } from '$lib/server/app';
import { viewStatement } from '$lib/server/statements/statements.service';
import type { PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	started: 'The statement is started. Members can now propose amendments to it.',
	endorsed: 'Thank you: your endorsement is shown below.',
	applied: 'The agreed amendments are in a new version of the statement.'
};

export const load: PageServerLoad = async ({ locals, url }) => {
	const view = await viewStatement(app().database.db, locals.user);
	const notice = url.searchParams.get('notice') ?? '';
	return { view: view ?? null, notice: NOTICES[notice] ?? null, signedIn: !!locals.user };
};
