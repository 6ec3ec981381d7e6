import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { enquirySchema } from '$lib/server/enquiries/enquiries.schema';
import { startEnquiry } from '$lib/server/enquiries/enquiries.service';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(enquirySchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() => startEnquiry(app().database.db, user, form.data));
		if (!result.ok) return enquiryRefusal(event, form.values, result);
		redirect(303, `/enquiries/${result.id}?notice=started`);
	}
};
