import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { dateTimeFormatter, requireAdministrator } from '$lib/server/admin/admin.http';
import { canManageMail } from '$lib/server/admin/admin.permissions';
import { PER_PAGE, pageSchema, queryValues } from '$lib/server/admin/admin.schema';
import { recordAudit } from '$lib/server/audit/audit.service';
import { formValues, invalid, valueOf } from '$lib/server/forms';
import { countOutbox, listMailProblems, retryMail } from '$lib/server/mail/mail.service';
import type { Actions, PageServerLoad } from './$types';

const STATUS: Record<string, string> = {
	failed: 'Gave up',
	pending: 'Waiting to try again',
	sending: 'Sending now'
};

const REFUSED = {
	'not-found': 'That email is no longer in the outbox.',
	'already-sent': 'That email has been sent meanwhile.',
	'being-sent': 'That email is being sent right now.'
} as const;

export const load: PageServerLoad = async (event) => {
	const user = requireAdministrator(event);
	if (!canManageMail(user)) error(403, 'Only administrators can see mail problems.');
	const { page } = pageSchema.parse(queryValues(event.url.searchParams));
	const db = app().database.db;
	const [result, outbox] = await Promise.all([
		listMailProblems(db, { page, perPage: PER_PAGE }),
		countOutbox(db)
	]);
	const date = dateTimeFormatter(app().config.timeZone);
	return {
		mails: result.items.map((m) => ({
			id: m.id,
			to: m.to_address,
			subject: m.subject,
			kind: m.kind,
			status: STATUS[m.status] ?? m.status,
			failed: m.status === 'failed',
			attempts: m.attempts,
			lastError: m.last_error,
			created: date(m.created_at),
			nextAttempt: m.status === 'failed' ? null : date(m.next_attempt_at)
		})),
		outbox: { waiting: outbox.pending, sending: outbox.sending, abandoned: outbox.abandoned },
		total: result.total,
		page: result.page,
		pageCount: result.pageCount,
		retried: event.url.searchParams.get('retried') === '1'
	};
};

export const actions: Actions = {
	retry: async (event) => {
		const user = requireAdministrator(event);
		if (!canManageMail(user)) error(403, 'Only administrators can send mail again.');
		const values = formValues(await event.request.formData());
		const id = valueOf(values, 'id').trim();
		if (!id || id.length > 100) return invalid(values, { form: REFUSED['not-found'] });
		const db = app().database.db;
		const result = await retryMail(db, id);
		if (!result.ok) return invalid(values, { form: REFUSED[result.reason] }, 409);
		// retryMail runs its own statement, so the entry follows it rather than sharing a transaction.
		await recordAudit(db, { actor: user, action: 'mail.retried', target: { type: 'mail', id } });
		redirect(303, '/admin/mail?retried=1');
	}
};
