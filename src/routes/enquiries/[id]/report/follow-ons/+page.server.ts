import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { REPORT_NOT_FOUND, formText, reportRefusal } from '$lib/server/enquiries/report.http';
import { followOnSchema } from '$lib/server/enquiries/report.schema';
import {
	addFollowOn,
	followOnsForEditing,
	removeFollowOn
} from '$lib/server/enquiries/report.service';
import { FOLLOW_ON_KINDS, type FollowOnKind } from '$lib/server/enquiries/enquiries.tables';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	added: 'The link is added.',
	removed: 'The link is removed.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		followOnsForEditing(app().database.db, user, event.params.id)
	);
	if (!found) error(404, REPORT_NOT_FOUND);
	return { ...found, notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null };
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const form = parseForm(followOnSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			addFollowOn(app().database.db, user, event.params.id, form.data, app().config.timeZone)
		);
		if (!result.ok) return reportRefusal(result, form.values, 'address');
		redirect(303, `/enquiries/${event.params.id}/report/follow-ons?notice=added`);
	},
	remove: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const kind = formText(form, 'kind');
		if (!(FOLLOW_ON_KINDS as readonly string[]).includes(kind))
			error(400, 'That link is not one of this enquiry’s.');
		const result = await refusedAs403(() =>
			removeFollowOn(
				app().database.db,
				user,
				event.params.id,
				kind as FollowOnKind,
				formText(form, 'targetId')
			)
		);
		if (!result.ok) return reportRefusal(result);
		redirect(303, `/enquiries/${event.params.id}/report/follow-ons?notice=removed`);
	}
};
