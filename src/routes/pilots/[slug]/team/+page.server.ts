import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { PILOT_NOT_FOUND, refusal } from '$lib/server/pilots/pilots.http';
import { addMemberSchema, userIdSchema } from '$lib/server/pilots/pilots.schema';
import { addTeamMember, removeTeamMember, viewTeam } from '$lib/server/pilots/pilots.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	added: (who: string) => `${who} is on the team now. They can add and edit entries.`,
	removed: () => 'They are no longer on the team.'
} as const;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const team = await refusedAs403(() => viewTeam(app().database.db, user, event.params.slug));
	if (!team) error(404, PILOT_NOT_FOUND);
	const notice = event.url.searchParams.get('notice') ?? '';
	const who = event.url.searchParams.get('who') ?? '';
	return {
		...team,
		you: user.id,
		notice: notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES](who) : null
	};
};

const back = (event: RequestEvent<{ slug: string }>, notice: string, who = '') =>
	`/pilots/${event.params.slug}/team?notice=${notice}` +
	(who ? `&who=${encodeURIComponent(who)}` : '');

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const form = parseForm(addMemberSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors: form.errors });
		const result = await refusedAs403(() =>
			addTeamMember(app().database.db, user, event.params.slug, form.data.email)
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, back(event, 'added', result.name));
	},
	remove: async (event) => {
		const user = requireUser(event);
		const form = parseForm(userIdSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: { form: form.errors.userId ?? 'Open the page again and try once more' }
			});
		const result = await refusedAs403(() =>
			removeTeamMember(app().database.db, user, event.params.slug, form.data.userId)
		);
		if (!result.ok) error(404, PILOT_NOT_FOUND);
		if (result.left) redirect(303, `/pilots/${event.params.slug}?notice=left`);
		redirect(303, back(event, 'removed'));
	}
};
