import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';

import type { FieldErrors, FormValues } from '$lib/form-values';

export { valueOf, type FieldErrors, type FormValues } from '$lib/form-values';

export type FormResult<T> =
	| { ok: true; data: T; values: FormValues }
	| { ok: false; values: FormValues; errors: FieldErrors };

/** Every field in the form, keeping lists for names that appear more than once. */
export function formValues(formData: FormData, omit: readonly string[] = []): FormValues {
	const values: FormValues = {};
	for (const [name, raw] of formData) {
		if (omit.includes(name) || typeof raw !== 'string') continue;
		const existing = values[name];
		if (existing === undefined) values[name] = raw;
		else values[name] = Array.isArray(existing) ? [...existing, raw] : [existing, raw];
	}
	return values;
}

/**
 * Plain values (as a route's `formValues` read them) back into FormData, so a service given
 * values checks them with the same `parseForm` a route would use.
 */
export function toFormData(values: FormValues): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(values)) {
		if (value === undefined || value === null) continue;
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	}
	return data;
}

/** The first message for each field, from a zod error. Form-wide problems go under "form". */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? String(issue.path[0]) : 'form';
		errors[key] ??= issue.message;
	}
	return errors;
}

/**
 * Checks a submitted form against a zod schema. `listFields` names fields that may be sent
 * several times (checkboxes) and should always reach the schema as arrays. Secrets named in
 * `omit` (passwords) are checked but never echoed back into the page.
 */
export function parseForm<S extends z.ZodType>(
	schema: S,
	formData: FormData,
	options: { listFields?: readonly string[]; omit?: readonly string[] } = {}
): FormResult<z.output<S>> {
	const input: Record<string, unknown> = formValues(formData);
	for (const name of options.listFields ?? []) {
		const v = input[name];
		input[name] = v === undefined ? [] : Array.isArray(v) ? v : [v];
	}
	const values = formValues(formData, options.omit ?? []);
	const result = schema.safeParse(input);
	if (result.success) return { ok: true, data: result.data, values };
	return { ok: false, values, errors: fieldErrors(result.error) };
}

/** A 400 response that puts the form back as it was, with a message beside each field. */
export function invalid(
	values: FormValues,
	errors: FieldErrors,
	status = 400
): ActionFailure<{ values: FormValues; errors: FieldErrors }> {
	return fail(status, { values, errors });
}
