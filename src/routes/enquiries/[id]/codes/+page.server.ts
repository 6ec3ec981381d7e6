import { app } from '$lib/server/app';
import { viewCodebook } from '$lib/server/enquiries/codebook.service';
import { teamRead } from '$lib/server/enquiries/coding.http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	teamRead(event, (user) => viewCodebook(app().database.db, user, event.params.id));
