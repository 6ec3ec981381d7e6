import { error } from '@sveltejs/kit';
import { invalid, type FormValues } from '../forms';
import { describeReportRefusal, type ReportRefusalReason } from './report.service';

/** What the team reads for a report page or section that is not there. */
export const REPORT_NOT_FOUND =
	'We could not find that. The enquiry or the section may have been deleted.';

/**
 * The answer to a report use case's refusal: 404 when the thing is gone, otherwise 400 with the
 * message beside `field`, the form refilled as it was.
 */
export function reportRefusal(
	result: { ok: false; reason: ReportRefusalReason },
	values: FormValues = {},
	field = 'form'
) {
	if (result.reason === 'not-found') error(404, REPORT_NOT_FOUND);
	return invalid(values, { [field]: describeReportRefusal(result.reason) }, 409);
}

/** "up" or "down" from a form; anything else is a broken form, not a 500. */
export function parseDirection(value: FormDataEntryValue | null): 'up' | 'down' {
	if (value === 'up' || value === 'down') return value;
	error(400, 'Choose to move it up or down.');
}

/** A text field of a form as a string ('' when missing or a file). */
export function formText(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}
