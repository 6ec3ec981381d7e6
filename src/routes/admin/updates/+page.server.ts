import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { bodySizeLimit, describeBytes } from '$lib/server/http/body-guard';
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
	const [counts, topics] = await Promise.all([
		refusedAs403(() => subscriberCounts(db, user)),
		topicsOffered(db)
	]);
	return {
		counts,
		topics,
		limits: {
			rows: IMPORT_MAX_ROWS,
			size: describeBytes(bodySizeLimit()),
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
