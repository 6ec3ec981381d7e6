import { app } from '$lib/server/app';
import { teamRead } from '$lib/server/enquiries/coding.http';
import { viewCodePairs } from '$lib/server/enquiries/coding.views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	teamRead(event, (user) => viewCodePairs(app().database.db, user, event.params.id));
