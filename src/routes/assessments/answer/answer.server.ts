import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues } from '$lib/server/forms';
import { closedText, lastDayText, throttleStart } from '$lib/server/assessments/assessments.http';
import { perspectiveSchema } from '$lib/server/assessments/assessments.schema';
import { WHO_SEES_RESULTS } from '$lib/server/assessments/assessments.mails';
import {
	answerIntro,
	startResponse,
	type ResponseStart
} from '$lib/server/assessments/responses.service';
import { PERSPECTIVES, PERSPECTIVE_LABELS } from '$lib/server/assessments/scoring';

/**
 * The two ways in to answering, by the shareable link and by an emailed invitation, share this
 * page logic: the link (or the invitation's token) is all they need.
 */

const NOT_FOUND = 'We could not find that check. The link may be incomplete or out of date.';

const REFUSED = {
	closed: 'This round has closed, so it no longer takes answers.',
	used: 'This invitation has already been used to send a set of answers.'
};

export async function loadIntro(event: RequestEvent, start: ResponseStart) {
	noStore(event);
	const intro = await answerIntro(app().database.db, start);
	if (!intro) error(404, NOT_FOUND);
	return {
		intro: {
			title: intro.assessment.title,
			description: intro.assessment.description,
			round: intro.round.number,
			open: intro.round.open,
			lastDay: lastDayText(intro.round.closesAt),
			closedText: closedText(intro.round),
			whoSeesResults: WHO_SEES_RESULTS[intro.assessment.resultsVisibility],
			signInNeeded: intro.signInNeeded,
			used: intro.used,
			resumable: intro.resumable,
			existing: intro.existing
		},
		perspectives: PERSPECTIVES.map((p) => ({ value: p, label: PERSPECTIVE_LABELS[p] }))
	};
}

/** Starts someone's answers. (The page's load, which runs after a refusal, sets no-store.) */
export async function startAnswering(event: RequestEvent, start: ResponseStart) {
	const { db } = app().database;
	const values = formValues(await event.request.formData());
	// Visitors on the shared link are limited per address; members and invitations already
	// give one set of answers each. Only a start that would make answers counts.
	if (
		start.via === 'share' &&
		!event.locals.user &&
		perspectiveSchema.safeParse(values.perspective).success
	) {
		const limited = await throttleStart(db, event.getClientAddress());
		if (!limited.ok) return tooManyAttempts(event, values, limited.retryAfterSeconds);
	}
	const result = await startResponse(db, start, values.perspective);
	if (!result.ok) {
		if (result.reason === 'not-found') error(404, NOT_FOUND);
		if (result.reason === 'sign_in')
			redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
		return fail(400, {
			values,
			errors: result.reason === 'invalid' ? result.errors : { form: REFUSED[result.reason] }
		});
	}
	const key = result.resumeCode ?? result.responseId;
	redirect(
		303,
		`/assessments/respond/${encodeURIComponent(key)}${result.resumeCode ? '?notice=new' : ''}`
	);
}
