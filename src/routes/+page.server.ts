import type { PageServerLoad } from './$types';
import { app } from '$lib/server/app';
import { isSetupNeeded } from '$lib/server/auth/setup.service';

export const load: PageServerLoad = async ({ url }) => {
	return {
		// A new instance has nobody in it yet: lead whoever installed it to /setup.
		setupNeeded: await isSetupNeeded(app().database.db),
		signedOut: url.searchParams.has('signed-out')
	};
};
