import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid, type FormValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	changeDots,
	closeVote,
	proposeTopic,
	viewCafe,
	writeHarvest
} from '$lib/server/events/cafe.service';
import { renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	proposed: 'Your topic is added. People with a place can now vote for it.',
	voted: 'Your dots are saved.',
	closed: 'The vote is closed, and the top topics are now tables.',
	harvest: 'The harvest is saved. It shows on the event page.'
};

const CLOSED = 'The vote has closed, so topics and dots can no longer change.';

export const load: PageServerLoad = async (event) => {
	const cafe = await viewCafe(app().database.db, event.locals.user ?? null, event.params.id);
	if (!cafe) error(404, 'Page not found');
	if (event.locals.user) event.setHeaders({ 'cache-control': 'private, no-store' });
	const notice = event.url.searchParams.get('notice') ?? '';
	return {
		cafe: {
			...cafe,
			topics: cafe.topics.map((t) => ({
				...t,
				harvestHtml: t.harvest ? renderMarkdown(t.harvest) : null
			}))
		},
		signedIn: !!event.locals.user,
		notice: NOTICES[notice] ?? null
	};
};

async function context(event: RequestEvent<{ id: string }>) {
	const user = requireUser(event);
	const values = formValues(await event.request.formData());
	return { user, values, db: app().database.db, back: `/events/${event.params.id}/cafe` };
}

function refused(values: FormValues, reason: string) {
	if (reason === 'not_found') error(404, 'Page not found');
	return invalid(values, { form: CLOSED }, 409);
}

export const actions: Actions = {
	propose: async (event) => {
		const { user, values, db, back } = await context(event);
		const result = await refusedAs403(() => proposeTopic(db, user, event.params.id, values));
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, result.errors);
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=proposed`);
	},
	dot: async (event) => {
		const { user, values, db, back } = await context(event);
		const topic = typeof values.topic === 'string' ? values.topic : '';
		const delta = values.change === 'remove' ? -1 : 1;
		const result = await refusedAs403(() => changeDots(db, user, event.params.id, topic, delta));
		if (!result.ok) {
			if (result.reason === 'no_dots_left') {
				return invalid(values, { form: 'You have used all your dots. Take one back to move it.' });
			}
			if (result.reason === 'none_to_take') {
				return invalid(values, { form: 'You have no dots on that topic.' });
			}
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=voted#topic-${topic}`);
	},
	close: async (event) => {
		const { user, values, db, back } = await context(event);
		const result = await refusedAs403(() => closeVote(db, user, event.params.id, values));
		if (!result.ok) {
			if (result.reason === 'invalid') return invalid(values, result.errors);
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=closed`);
	},
	harvest: async (event) => {
		const { user, values, db, back } = await context(event);
		const topic = typeof values.topic === 'string' ? values.topic : '';
		const result = await refusedAs403(() => writeHarvest(db, user, event.params.id, topic, values));
		if (!result.ok) {
			if (result.reason === 'invalid') {
				return invalid(values, {
					[`harvest-${topic}`]: result.errors.harvest ?? 'Check the harvest'
				});
			}
			return refused(values, result.reason);
		}
		redirect(303, `${back}?notice=harvest#topic-${topic}`);
	}
};
