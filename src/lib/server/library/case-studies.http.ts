import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '../app';
import { requireUser } from '../auth/auth.http';
import { allErrors, parseForm } from '../forms';
import { refusedAs403 } from '../http/refusals';
import { caseStudySchema, CASE_STUDY_LIST_FIELDS } from './case-studies.schema';
import {
	caseStudyEditorChoices,
	saveCaseStudy,
	type CaseStudyIntent
} from './case-studies.service';
import { CONTINUUM_STAGES, WORK_STATUSES } from './library.vocabulary';

/**
 * The case study form's actions, shared by /library/new and /library/[slug]/edit: "Save draft"
 * and "Submit for review" come here with everything typed; anything wrong comes back beside its
 * field with the text kept.
 */

/** What the form offers, for a page's load. */
export async function caseStudyEditorData(event: RequestEvent) {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const choices = await caseStudyEditorChoices(app().database.db, user);
	return {
		choices: {
			serviceAreas: choices.words.serviceAreas.map((t) => ({ value: t.id, label: t.label })),
			benefits: choices.words.benefits.map((t) => ({ value: t.id, label: t.label })),
			barriers: choices.words.barriers.map((t) => ({ value: t.id, label: t.label })),
			dimensions: choices.words.dimensions.map((d) => ({ value: d.key, label: d.title })),
			organisations: choices.organisations.map((o) => ({ value: o.id, label: o.name })),
			rounds: choices.rounds.map((r) => ({
				value: r.roundId,
				label: `${r.title}, round ${r.number}${r.resultsPublic ? ' (results public)' : ''}`
			})),
			stages: CONTINUUM_STAGES.map((s) => ({ value: s.key, label: s.label, hint: s.hint })),
			statuses: WORK_STATUSES.map((s) => ({ value: s.key, label: s.label, hint: s.hint }))
		}
	};
}

async function save(event: RequestEvent, intent: CaseStudyIntent, slug?: string) {
	const user = requireUser(event);
	const form = parseForm(caseStudySchema, await event.request.formData(), {
		listFields: CASE_STUDY_LIST_FIELDS
	});
	if (!form.ok)
		return fail(400, { values: form.values, errors: allErrors(caseStudySchema, form.errors, {}) });
	const result = await refusedAs403(() =>
		saveCaseStudy(app().database.db, user, form.data, {
			slug,
			intent,
			timeZone: app().config.timeZone
		})
	);
	if (!result.ok) {
		if (result.status === 404) error(404, 'Page not found');
		if (result.status === 429) event.setHeaders({ 'retry-after': '3600' });
		return fail(result.status ?? 400, {
			values: form.values,
			errors: allErrors(caseStudySchema, {}, result.errors)
		});
	}
	redirect(303, `/library/${result.caseStudy.slug}/edit?notice=${result.state}`);
}

/** Both buttons of the form, for a page's `actions`. */
export function caseStudyActions(slugOf: (event: RequestEvent) => string | undefined) {
	return {
		save: (event: RequestEvent) => save(event, 'draft', slugOf(event)),
		submit: (event: RequestEvent) => save(event, 'submit', slugOf(event))
	};
}
