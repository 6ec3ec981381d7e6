import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { kindSchema, REASON_LABELS, reportSchema } from '$lib/server/moderation/moderation.schema';
import {
	findReportable,
	reportContent,
	REPORT_REFUSALS
} from '$lib/server/moderation/moderation.service';
import { REPORT_REASONS } from '$lib/server/moderation/moderation.tables';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const KIND_NAMES = {
	post: 'post',
	comment: 'comment',
	video: 'video',
	'idea-comment': 'comment',
	'amendment-comment': 'comment'
} as const;

async function target(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const kind = kindSchema.safeParse(event.params.kind);
	if (!kind.success) error(404, 'We could not find that.');
	const found = await findReportable(app().database.db, kind.data, event.params.id);
	if (!found) error(404, 'We could not find that. It may have been deleted.');
	return { kind: kind.data, id: event.params.id, ...found };
}

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const thing = await target(event);
	return {
		thing: { ...thing, kindName: KIND_NAMES[thing.kind] },
		reasons: REPORT_REASONS.map((value) => ({ value, label: REASON_LABELS[value] })),
		sent: event.url.searchParams.get('sent') === '1'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const thing = await target(event);
		const form = parseForm(reportSchema, await event.request.formData());
		const done = `/report/${thing.kind}/${thing.id}?sent=1`;
		// A robot filled in the field people cannot see: thank it, keep nothing.
		if (form.values.website) redirect(303, done);
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			reportContent(app().database.db, user, { kind: thing.kind, id: thing.id }, form.data)
		);
		if (!result.ok)
			return invalid(
				form.values,
				{ reason: REPORT_REFUSALS[result.reason] },
				result.reason === 'rate-limited' ? 429 : 409
			);
		redirect(303, done);
	}
};
