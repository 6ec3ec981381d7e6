import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND, enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { QUOTE_OPTIONS } from '$lib/server/enquiries/participants.choices';
import { changeConsent, viewParticipant } from '$lib/server/enquiries/participants.service';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	recorded: 'The participant and their consent are recorded.',
	changed: 'The change of consent is recorded.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() =>
		viewParticipant(app().database.db, user, event.params.id, event.params.participantId)
	);
	if (!view) error(404, 'We could not find that participant.');
	const when = (iso: string) =>
		new Date(iso).toLocaleString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			hour: 'numeric',
			minute: '2-digit',
			timeZone: app().config.timeZone
		});
	return {
		...view,
		history: view.history.map((h) => ({ ...h, when: when(h.recordedAt) })),
		withdrawnOn: view.participant.withdrawn_at ? when(view.participant.withdrawn_at) : null,
		quotes: QUOTE_OPTIONS,
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			changeConsent(app().database.db, user, event.params.id, event.params.participantId, values)
		);
		if (result.ok)
			redirect(
				303,
				`/enquiries/${event.params.id}/participants/${event.params.participantId}?notice=changed`
			);
		if (result.reason === 'not-found') error(404, ENQUIRY_NOT_FOUND);
		return enquiryRefusal(event, values, result, {
			withdrawn: 'This person has withdrawn, so their consent cannot change.'
		});
	}
};
