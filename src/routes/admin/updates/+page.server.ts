import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { describeBytes, formSizeLimit } from '$lib/server/http/body-guard';
import { refusedAs403 } from '$lib/server/http/refusals';
import { formValues, invalid, parseForm, valueOf, type FieldErrors } from '$lib/server/forms';
import { updatesSite } from '$lib/server/updates/updates.http';
import { blockAddressSchema } from '$lib/server/updates/updates.admin.schema';
import {
	HOW_MAX_LENGTH,
	IMPORT_MAX_ROWS,
	blockAddressAsAdministrator,
	importSubscribers,
	subscriberCounts
} from '$lib/server/updates/updates.admin.service';
import { canBlockAddresses, canImportSubscribers } from '$lib/server/updates/updates.permissions';
import { topicsOffered } from '$lib/server/updates/updates.service';
import { formatDeadline } from '$lib/server/events/event-time';
import { WEEKDAYS } from '$lib/server/updates/digest.schedule';
import {
	digestOverview,
	saveDigestSchedule,
	sendDigestNow
} from '$lib/server/updates/digest.service';
import { canManageDigest } from '$lib/server/updates/digest.permissions';
import type { Actions, PageServerLoad } from './$types';

/** Today's date (year-month-day) where the network is, for "agreed in the future". */
function today(timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(new Date());
}

export const load: PageServerLoad = async (event) => {
	const user = requireAdministrator(event);
	const db = app().database.db;
	const timeZone = app().config.timeZone;
	const [counts, topics, digest] = await Promise.all([
		refusedAs403(() => subscriberCounts(db, user)),
		topicsOffered(db),
		refusedAs403(() => digestOverview(db, user, timeZone))
	]);
	return {
		counts,
		topics,
		digest: {
			day: digest.schedule.day === null ? 'off' : String(digest.schedule.day),
			time: digest.schedule.time,
			next: digest.next ? formatDeadline(digest.next, timeZone) : null,
			timeZone,
			days: WEEKDAYS.map((label, i) => ({ value: String(i), label })),
			recent: digest.recent.map((r) => ({
				week: r.week,
				status: r.status,
				recipients: Number(r.recipients),
				sentAt: r.sent_at ? formatDeadline(r.sent_at, timeZone) : null
			}))
		},
		limits: {
			rows: IMPORT_MAX_ROWS,
			size: describeBytes(formSizeLimit()),
			how: HOW_MAX_LENGTH
		}
	};
};

export const actions: Actions = {
	import: async (event) => {
		const user = requireAdministrator(event);
		if (!canImportSubscribers(user)) error(403, 'Only administrators can import subscribers.');
		const data = await event.request.formData();
		const values = formValues(data);
		const file = data.get('csv_file');
		const pasted = valueOf(values, 'csv_text');
		const chosen = file instanceof File && file.size > 0 ? file : null;
		const fail = (errors: FieldErrors) => invalid(values, errors);
		if (chosen && pasted.trim())
			return fail({
				csv_file: 'Choose a file or paste the list, not both.',
				csv_text: 'Choose a file or paste the list, not both.'
			});
		let csv = pasted;
		if (chosen) {
			try {
				csv = new TextDecoder('utf-8', { fatal: true }).decode(await chosen.arrayBuffer());
			} catch {
				return fail({
					csv_file:
						'The file is not saved as UTF-8 text. In your spreadsheet, save it as "CSV UTF-8" and choose it again.'
				});
			}
		}
		const raw = data.getAll('topics');
		const topics = raw.filter((t): t is string => typeof t === 'string');
		const result = await refusedAs403(() =>
			importSubscribers(
				app().database.db,
				updatesSite(),
				user,
				{ csv, topics },
				{ today: today(app().config.timeZone) }
			)
		);
		if (!result.ok) {
			const { csv: csvError, ...rest } = result.errors;
			const field = chosen ? 'csv_file' : 'csv_text';
			return fail({ ...(csvError ? { [field]: csvError } : {}), ...rest });
		}
		return { form: 'import' as const, report: result.report };
	},
	digest: async (event) => {
		const user = requireAdministrator(event);
		if (!canManageDigest(user))
			error(403, 'Only administrators can choose when the digest goes out.');
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			saveDigestSchedule(app().database.db, user, {
				day: valueOf(values, 'digest_day'),
				time: valueOf(values, 'digest_time')
			})
		);
		if (!result.ok) return invalid(values, result.errors);
		return { form: 'digest' as const, digestSaved: true };
	},
	sendDigest: async (event) => {
		const user = requireAdministrator(event);
		if (!canManageDigest(user)) error(403, 'Only administrators can send the digest.');
		const result = await refusedAs403(() =>
			sendDigestNow(app().database.db, user, updatesSite(), app().config.timeZone)
		);
		return {
			form: 'sendDigest' as const,
			digestSent: result.ok ? { mails: result.mails } : { already: true as const }
		};
	},
	block: async (event) => {
		const user = requireAdministrator(event);
		if (!canBlockAddresses(user)) error(403, 'Only administrators can block an address.');
		const form = parseForm(blockAddressSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		await refusedAs403(() =>
			blockAddressAsAdministrator(app().database.db, user, form.data.block_email)
		);
		return { form: 'block' as const, blockedEmail: form.data.block_email };
	}
};
