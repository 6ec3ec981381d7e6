import { fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid, type FieldErrors } from '$lib/server/forms';
import { assertCan } from '$lib/server/auth/auth.permissions';
import { refusedAs403 } from '$lib/server/http/refusals';
import { canEditFramework } from '$lib/server/assessments/assessments.permissions';
import {
	currentFramework,
	editFramework,
	HISTORY_LIMIT,
	listFrameworkVersions
} from '$lib/server/assessments/framework.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	await refusedAs403(async () =>
		assertCan(canEditFramework(user), 'Only curators can change the co-production framework.')
	);
	const { db } = app().database;
	// One more than the history shows: the current version heads the list.
	const versions = await refusedAs403(() => listFrameworkVersions(db, user, HISTORY_LIMIT + 1));
	const framework = await currentFramework(db);
	const format = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone: app().config.timeZone
	});
	const shown = (v: {
		number: number;
		note: string | null;
		created_at: string;
		created_by_name?: string | null;
	}) => ({
		number: v.number,
		note: v.note,
		iso: v.created_at,
		date: format.format(new Date(v.created_at)),
		by: v.created_by_name ?? null
	});
	const earlier = versions
		.filter((v) => v.number < framework.version.number)
		.slice(0, HISTORY_LIMIT);
	const saved = Number(event.url.searchParams.get('saved'));
	return {
		basedOn: framework.version.id,
		current: shown(versions.find((v) => v.id === framework.version.id) ?? framework.version),
		dimensions: framework.dimensions.map((d) => ({
			key: d.key,
			position: d.position,
			title: d.title,
			description: d.description,
			guidance: d.guidance,
			statements: d.statements.map((s) => ({ id: s.id, position: s.position, text: s.text }))
		})),
		earlier: earlier.map(shown),
		// Numbers run from 1 without gaps, so a last listed number above 1 means older ones exist.
		olderNotListed: (earlier.at(-1)?.number ?? 1) > 1,
		saved: Number.isInteger(saved) && saved > 0 ? saved : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => editFramework(app().database.db, user, values));
		if (result.ok)
			redirect(303, `/assessments/framework?saved=${result.framework.version.number}#saved`);
		if (result.reason === 'invalid') return invalid(values, result.errors);
		const n = result.current.number;
		const both = Object.keys(result.theirs).length;
		const errors: FieldErrors = {
			form:
				`Someone else saved version ${n} while you were editing, so your changes are not saved ` +
				`yet. They are still in the form, now on top of version ${n}. ` +
				(both
					? `You both changed ${both === 1 ? 'one field' : `${both} fields`}: each shows their wording under its label. `
					: '') +
				`Please check the form, then save again.`
		};
		return fail(409, {
			values: result.values,
			errors,
			theirs: result.theirs,
			theirsIn: n
		});
	}
};
