import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	REASON_LABELS,
	decisionSchema,
	suspensionSchema
} from '$lib/server/moderation/moderation.schema';
import {
	decideOnReport,
	listModerationQueue,
	suspendFromPosting
} from '$lib/server/moderation/moderation.service';
import type { Actions, PageServerLoad } from './$types';

function site() {
	const { config } = app();
	return { siteName: config.siteName, origin: config.origin };
}

const DONE: Record<string, string> = {
	hidden: 'Hidden. The author has been told why.',
	restored: 'Restored: it shows again. The author has been told.',
	dismissed: 'Reports dismissed. The author has been told.',
	warned: 'Warning sent to the author.',
	suspended: 'The member is suspended from posting and commenting, and has been told why.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const page = Math.max(1, Math.min(10_000, Number(event.url.searchParams.get('page')) || 1));
	const queue = await refusedAs403(() => listModerationQueue(app().database.db, user, page));
	return {
		...queue,
		page,
		reasonLabels: REASON_LABELS,
		done: DONE[event.url.searchParams.get('done') ?? ''] ?? null
	};
};

export const actions: Actions = {
	decide: async (event) => {
		const user = requireUser(event);
		const form = parseForm(decisionSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			decideOnReport(app().database.db, user, site(), form.data)
		);
		if (!result.ok)
			return invalid(
				form.values,
				{ decision: 'Another curator has already decided on these reports.' },
				409
			);
		redirect(303, `/moderation?done=${result.decision}`);
	},
	suspend: async (event) => {
		const user = requireUser(event);
		const form = parseForm(suspensionSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			suspendFromPosting(app().database.db, user, site(), form.data)
		);
		if (!result.ok)
			return invalid(
				form.values,
				{
					days:
						result.reason === 'self'
							? 'You cannot suspend yourself.'
							: 'Only the author of something in the queue can be suspended from here.'
				},
				409
			);
		redirect(303, '/moderation?done=suspended');
	}
};
