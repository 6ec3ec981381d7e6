import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore } from '$lib/server/auth/auth.http';
import { formValues } from '$lib/server/forms';
import { closedText, lastDayText } from '$lib/server/assessments/assessments.http';
import {
	findResponse,
	responseForm,
	saveAnswers,
	type ResponseKey
} from '$lib/server/assessments/responses.service';
import { PERSPECTIVE_LABELS, type Perspective } from '$lib/server/assessments/scoring';
import type { Actions, PageServerLoad } from './$types';

/**
 * One person's own answers. A member's address is their response's id (only they, signed in,
 * can open it); a visitor's is the private resume code they were given, which is the only key.
 */

const NOT_FOUND =
	'We could not find those answers. The link may be incomplete, or you may need to sign in.';

const NOTICES: Record<string, string> = {
	new: 'You can start. Nothing is sent until you press “Send my answers”, and “Save and finish later” keeps what you have chosen so far.',
	saved: 'Your answers so far are saved. You can close this page and come back later.',
	sent: 'Thank you. Your answers are sent.'
};

const REFUSED: Record<string, string> = {
	closed:
		'This round has closed, so answers can no longer be saved or sent. What you chose is still shown below.',
	submitted: 'You have already sent your answers to this round, so they can no longer change.',
	used: 'This invitation has already been used to send a set of answers.'
};

/** The key for this address: the member's own response first, then a visitor's resume code. */
async function keyOf(event: RequestEvent): Promise<ResponseKey | undefined> {
	const { db } = app().database;
	const param = event.params.key ?? '';
	const user = event.locals.user;
	if (user) {
		const key = { responseId: param, actor: user };
		if (await findResponse(db, key)) return key;
	}
	const key = { resumeCode: param };
	return (await findResponse(db, key)) ? key : undefined;
}

export const load: PageServerLoad = async (event) => {
	noStore(event);
	const key = await keyOf(event);
	const found = key && (await responseForm(app().database.db, key));
	if (!found) error(404, NOT_FOUND);
	const notice = event.url.searchParams.get('notice') ?? '';
	const perspective = found.perspective as Perspective;
	const { resultsVisibility } = found.assessment;
	return {
		response: {
			assessmentId: found.assessment.id,
			title: found.assessment.title,
			description: found.assessment.description,
			round: found.round.number,
			open: found.round.open,
			lastDay: lastDayText(found.round.closesAt),
			closedText: closedText(found.round),
			perspective: PERSPECTIVE_LABELS[perspective] ?? 'Something else',
			submitted: found.submitted,
			member: found.member,
			answered: found.answered,
			resultsShown:
				resultsVisibility === 'public' || (resultsVisibility === 'respondents' && found.member)
		},
		/** A visitor's way back: this page's own address, which holds their private code. */
		resumeUrl: 'resumeCode' in key! ? new URL(event.url.pathname, app().config.origin).href : null,
		framework: {
			dimensions: found.framework.dimensions.map((d) => ({
				id: d.id,
				title: d.title,
				description: d.description,
				statements: d.statements.map((s) => ({ id: s.id, text: s.text }))
			}))
		},
		statements: found.framework.dimensions.reduce((n, d) => n + d.statements.length, 0),
		saved: found.values,
		notice: NOTICES[notice] ? { kind: notice, text: NOTICES[notice] } : null
	};
};

/** Saves (and with `submit`, sends) the answers. The load after a refusal sets no-store. */
async function save(event: RequestEvent, submit: boolean) {
	const key = await keyOf(event);
	if (!key) error(404, NOT_FOUND);
	const values = formValues(await event.request.formData());
	const result = await saveAnswers(app().database.db, key, values, { submit });
	if (!result.ok) {
		if (result.reason === 'not-found') error(404, NOT_FOUND);
		const errors = result.reason === 'invalid' ? result.errors : { form: REFUSED[result.reason]! };
		return fail(400, { values, errors });
	}
	redirect(303, `${event.url.pathname}?notice=${submit ? 'sent' : 'saved'}`);
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
};
