import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	closeRound,
	getAssessmentForManaging,
	inviteRespondents,
	openNewRound,
	renewShareLink,
	updateAssessmentSettings
} from '$lib/server/assessments/assessments.service';
import { assessmentsSite, lastDayText, todayHere } from '$lib/server/assessments/assessments.http';
import { shareUrl } from '$lib/server/assessments/assessments.mails';
import { inviteCoOwner, removeOwner } from '$lib/server/assessments/co-owners.service';
import type { Actions, PageServerLoad } from './$types';

/** What the page says after a change, from the `notice` the action redirects with. */
const NOTICES: Record<string, string> = {
	created: 'The check has started. Share the link or email invitations to ask people to answer.',
	settings: 'Your changes are saved.',
	owner:
		'We have emailed an invitation to that address. They become a co-owner when they accept it, signed in with that address.',
	removed: 'They are no longer an owner of this check.',
	joined: 'You are now a co-owner of this check.',
	link: 'The link is new. The old one no longer works, so share this one instead.',
	closed: 'The round is closed. Nobody can send answers to it any more.',
	opened: 'The new round is open. Share the link or email invitations again.',
	invited:
		'Invitations sent. Anyone on your list who has already answered this round was not invited again.'
};

function found<T>(value: T | undefined): T {
	if (value === undefined) error(404, 'Page not found');
	return value;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const managed = found(
		await refusedAs403(() => getAssessmentForManaging(app().database.db, user, event.params.id))
	);
	const { assessment, rounds, owners } = managed;
	const notice = event.url.searchParams.get('notice') ?? '';
	return {
		assessment: {
			id: assessment.id,
			title: assessment.title,
			description: assessment.description,
			shareUrl: shareUrl(assessmentsSite(), assessment.share_code),
			openToVisitors: assessment.open_to_visitors === 1
		},
		settings: {
			title: assessment.title,
			description: assessment.description,
			openToVisitors: assessment.open_to_visitors ? 'yes' : '',
			resultsVisibility: assessment.results_visibility,
			threshold: String(assessment.threshold)
		},
		rounds: rounds.map((r) => ({
			id: r.id,
			number: r.number,
			open: r.open,
			lastDay: lastDayText(r.closes_at),
			closedEarly: r.closed_at !== null,
			submitted: r.submitted,
			unfinished: r.unfinished,
			invited: r.invited
		})),
		owners: owners.map((o) => ({ ...o, you: o.id === user.id })),
		today: todayHere(),
		notice: NOTICES[notice] ?? null
	};
};

export const actions: Actions = {
	settings: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			updateAssessmentSettings(app().database.db, user, event.params.id!, values)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			return invalid({ ...values, form: 'settings' }, result.errors);
		}
		redirect(303, `/assessments/${event.params.id}?notice=settings`);
	},
	invite: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const roundId = typeof values.round === 'string' ? values.round : '';
		const result = await refusedAs403(() =>
			inviteRespondents(
				app().database.db,
				assessmentsSite(),
				user,
				roundId,
				values,
				new Date(),
				event.params.id
			)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			if (result.reason === 'rate-limited')
				return tooManyAttempts(event, { ...values, form: 'invite' }, result.retryAfterSeconds);
			if (result.reason === 'closed')
				return invalid(
					{ ...values, form: 'invite' },
					{ form: 'This round has closed. Open a new round to invite people again.' }
				);
			if (result.reason !== 'invalid') error(404, 'Page not found');
			return invalid({ ...values, form: 'invite' }, result.errors);
		}
		// No counts: "1 sent, 1 left out" after inviting one address would say who answered.
		redirect(303, `/assessments/${event.params.id}?notice=invited#invite`);
	},
	owner: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			inviteCoOwner(app().database.db, assessmentsSite(), user, event.params.id!, values)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			if (result.reason === 'rate-limited')
				return tooManyAttempts(event, { ...values, form: 'owner' }, result.retryAfterSeconds);
			return invalid({ ...values, form: 'owner' }, result.errors);
		}
		redirect(303, `/assessments/${event.params.id}?notice=owner#owners`);
	},
	remove: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const userId = typeof values.owner === 'string' ? values.owner : '';
		const result = await refusedAs403(() =>
			removeOwner(app().database.db, user, event.params.id!, userId)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			return invalid(
				{ ...values, form: 'remove' },
				{ form: 'A check needs at least one owner. Invite a co-owner before you step down.' }
			);
		}
		// Someone who took themselves off can no longer see this page.
		if (userId === user.id) redirect(303, '/assessments?notice=left');
		redirect(303, `/assessments/${event.params.id}?notice=removed#owners`);
	},
	link: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			renewShareLink(app().database.db, user, event.params.id!)
		);
		if (!result.ok) error(404, 'Page not found');
		redirect(303, `/assessments/${event.params.id}?notice=link#share`);
	},
	close: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const roundId = typeof values.round === 'string' ? values.round : '';
		const result = await refusedAs403(() =>
			closeRound(app().database.db, user, roundId, new Date(), event.params.id)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			return invalid(
				{ ...values, form: 'close' },
				{
					form: 'A newer round has been opened since this page was loaded. Here is the page as it is now.'
				}
			);
		}
		redirect(303, `/assessments/${event.params.id}?notice=closed`);
	},
	round: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			openNewRound(
				app().database.db,
				user,
				event.params.id!,
				values,
				new Date(),
				app().config.timeZone
			)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, 'Page not found');
			if (result.reason === 'round-open')
				return invalid(
					{ ...values, form: 'round' },
					{ form: 'The latest round is still open. Close it before opening another.' }
				);
			if (result.reason !== 'invalid') error(404, 'Page not found');
			return invalid({ ...values, form: 'round' }, result.errors);
		}
		redirect(303, `/assessments/${event.params.id}?notice=opened`);
	}
};
