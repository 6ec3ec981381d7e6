import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { assertCan } from '$lib/server/auth/auth.permissions';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { newId } from '$lib/server/ids';
import { updatesSite } from '$lib/server/updates/updates.http';
import { topicsOffered } from '$lib/server/updates/updates.service';
import { canSendAnnouncements } from '$lib/server/updates/announcements.permissions';
import {
	announcementDraftSchema,
	announcementSchema
} from '$lib/server/updates/announcements.schema';
import {
	cancelAnnouncement,
	draftFormValues,
	listDraftsAndScheduled,
	saveAnnouncementDraft
} from '$lib/server/updates/announcements.drafts.service';
import { formatDeadline } from '$lib/server/events/event-time';
import {
	checkAnnouncement,
	previewAnnouncement,
	sendAnnouncement,
	sendTestAnnouncement
} from '$lib/server/updates/announcements.service';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	await refusedAs403(async () =>
		assertCan(canSendAnnouncements(user), 'Only curators can send announcements.')
	);
	const db = app().database.db;
	const timeZone = app().config.timeZone;
	const edit = event.url.searchParams.get('edit');
	const editing = edit ? await draftFormValues(db, user, edit, timeZone) : undefined;
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(page) || page < 1) error(404, 'There is no such page of announcements.');
	const unsent = await listDraftsAndScheduled(db, user, page);
	if (page > unsent.totalPages) error(404, 'There is no such page of announcements.');
	const notices: Record<string, string> = {
		scheduled: 'The announcement is scheduled. It goes out at the time you chose.',
		saved: 'The draft is saved. Nothing is sent until you press Send.'
	};
	return {
		draft: newId(),
		notice: notices[event.url.searchParams.get('notice') ?? ''] ?? null,
		editing: editing ?? null,
		editMissing: !!edit && !editing,
		topics: await topicsOffered(db),
		timeZone,
		unsent: {
			...unsent,
			page,
			items: unsent.items.map((a) => ({ ...a, when: formatDeadline(a.sendAt, timeZone) }))
		}
	};
};

/** Reads and checks the form; the same for every button. */
async function readForm(event: RequestEvent) {
	const user = requireUser(event);
	await refusedAs403(async () =>
		assertCan(canSendAnnouncements(user), 'Only curators can send announcements.')
	);
	const form = parseForm(announcementSchema, await event.request.formData(), {
		listFields: ['topics']
	});
	const db = app().database.db;
	if (!form.ok) {
		const later = await checkAnnouncement(
			db,
			{
				topics: form.partial.topics ?? [],
				when: form.partial.when ?? 'now',
				sendAt: form.partial.sendAt ?? ''
			},
			app().config.timeZone
		);
		const errors = { ...(later.ok ? {} : later.errors), ...form.errors };
		if (!form.partial.topics && !errors.topics) delete errors.topics;
		return { ok: false as const, response: invalid(form.values, errors) };
	}
	const checked = await checkAnnouncement(db, form.data, app().config.timeZone);
	if (!checked.ok) return { ok: false as const, response: invalid(form.values, checked.errors) };
	return { ok: true as const, user, data: form.data, values: form.values, checked };
}

export const actions: Actions = {
	saveDraft: async (event) => {
		const user = requireUser(event);
		await refusedAs403(async () =>
			assertCan(canSendAnnouncements(user), 'Only curators can write announcements.')
		);
		const form = parseForm(announcementDraftSchema, await event.request.formData(), {
			listFields: ['topics']
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await saveAnnouncementDraft(
			app().database.db,
			user,
			form.data,
			app().config.timeZone
		);
		if (!result.ok && result.reason === 'invalid') return invalid(form.values, result.errors);
		if (!result.ok)
			return invalid(
				form.values,
				{ send: 'This announcement was already sent or scheduled, so the draft was not saved.' },
				409
			);
		redirect(303, `/updates/announcements/new?edit=${result.id}&notice=saved`);
	},
	cancel: async (event) => {
		const user = requireUser(event);
		await refusedAs403(async () =>
			assertCan(canSendAnnouncements(user), 'Only curators can cancel announcements.')
		);
		const id = (await event.request.formData()).get('id');
		const result = await refusedAs403(() =>
			cancelAnnouncement(app().database.db, user, typeof id === 'string' ? id : '')
		);
		return result.ok
			? { cancelled: result.title }
			: {
					cancelError:
						'That announcement is no longer scheduled: it has started sending, was sent, or was cancelled already.'
				};
	},
	preview: async (event) => {
		const form = await readForm(event);
		if (!form.ok) return form.response;
		const preview = previewAnnouncement(form.user, updatesSite(), form.data, form.checked.topics);
		return { values: form.values, preview };
	},
	test: async (event) => {
		const form = await readForm(event);
		if (!form.ok) return form.response;
		const to = await sendTestAnnouncement(
			app().database.db,
			form.user,
			updatesSite(),
			form.data,
			form.checked.topics
		);
		return { values: form.values, testSentTo: to };
	},
	send: async (event) => {
		const form = await readForm(event);
		if (!form.ok) return form.response;
		const result = await sendAnnouncement(
			app().database.db,
			form.user,
			updatesSite(),
			form.data,
			form.checked
		);
		if (!result.ok)
			return invalid(
				form.values,
				{ send: 'This announcement was already sent or scheduled, so it was not sent again.' },
				409
			);
		if (result.scheduled) redirect(303, `/updates/announcements/new?notice=scheduled`);
		redirect(303, `/updates/archive/${result.id}?notice=sent`);
	}
};
