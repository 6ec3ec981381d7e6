import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';

import type { FieldErrors, FormValues } from '$lib/form-values';

export { valueOf, type FieldErrors, type FormValues } from '$lib/form-values';

export type FormResult<T> =
	| { ok: true; data: T; values: FormValues }
	| {
			ok: false;
			values: FormValues;
			errors: FieldErrors;
			/** The fields that are fine on their own (see {@link validFields}). */
			partial: Partial<T>;
	  };

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
	return {
		ok: false,
		values,
		errors: fieldErrors(result.error),
		partial: schema instanceof z.ZodObject ? validFields(schema, input) : {}
	};
}

/**
 * The fields of an object schema that are fine on their own, each checked alone. When a form has
 * mistakes, the checks that come after the schema (a date in the future, an end after the start)
 * can still run on these, so every message shows at once rather than one round after another.
 */
export function validFields<S extends z.ZodObject>(
	schema: S,
	input: Record<string, unknown>
): Partial<z.output<S>> {
	const fine: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
		const result = field.safeParse(input[name]);
		if (result.success) fine[name] = result.data;
	}
	return fine as Partial<z.output<S>>;
}

/**
 * Messages from the schema and from later checks, as one set in the order the fields come in
 * the form (so the error summary reads top to bottom). A schema message wins over a later one
 * for the same field; fields the schema does not know ("form") come first.
 */
export function allErrors(
	schema: z.ZodObject,
	fromSchema: FieldErrors,
	fromChecks: FieldErrors
): FieldErrors {
	const merged: FieldErrors = { ...fromChecks, ...fromSchema };
	const order = Object.keys(schema.shape);
	const rank = (name: string) => {
		const at = order.indexOf(name);
		return at === -1 ? -1 : at;
	};
	return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => rank(a) - rank(b)));
}

/** A 400 response that puts the form back as it was, with a message beside each field. */
export function invalid(
	values: FormValues,
	errors: FieldErrors,
	status = 400
): ActionFailure<{ values: FormValues; errors: FieldErrors }> {
	return fail(status, { values, errors });
}

/** What {@link wholeNumber} needs to know about a number box. */
export interface WholeNumberOptions {
	/** The field as people read it, to start the messages: "Number of places". */
	label: string;
	min: number;
	max: number;
	/** Words that end the message when the box may be left empty: "or leave it empty for no limit". */
	emptyHint?: string;
	/** The message when the box is empty and must not be. Default: "Enter the number of places". */
	required?: string;
	/** Own messages below `min` and above `max`, when the range alone would not say enough. */
	tooSmall?: string;
	tooBig?: string;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const grouped = (n: number) => n.toLocaleString('en-GB');

/**
 * A whole number typed into a text box, with plain-English messages for anything else: "-5",
 * "2.5", "ten" or "99999" all say what the box takes ("Number of places must be a whole number
 * from 1 to 10,000"), never zod's "Invalid input". Thousands separators ("1,000", "1 000") are
 * accepted. `empty` is what an empty box means: a number, null (no value), or left out when the
 * box must be filled in.
 */
export function wholeNumber(
	options: WholeNumberOptions & { empty: null }
): z.ZodType<number | null, string | undefined>;
export function wholeNumber(
	options: WholeNumberOptions & { empty?: number }
): z.ZodType<number, string | undefined>;
export function wholeNumber(
	options: WholeNumberOptions & { empty?: number | null }
): z.ZodType<number | null, string | undefined> {
	const { label, min, max, emptyHint } = options;
	const range =
		`${label} must be a whole number from ${grouped(min)} to ${grouped(max)}` +
		(emptyHint ? `, ${emptyHint}` : '');
	return z
		.string()
		.optional()
		.transform((raw, ctx): number | null => {
			const text = (raw ?? '').trim();
			if (text === '') {
				if (options.empty !== undefined) return options.empty;
				ctx.addIssue({ code: 'custom', message: options.required ?? `Enter ${lowerFirst(label)}` });
				return z.NEVER;
			}
			const digits = text.replace(/(?<=\d)[,\s](?=\d{3}\b)/g, '').replace(/^[−–]/, '-');
			if (!/^-?\d+$/.test(digits)) {
				ctx.addIssue({ code: 'custom', message: range });
				return z.NEVER;
			}
			const value = Number(digits);
			if (value < min || value > max) {
				const own = value < min ? options.tooSmall : options.tooBig;
				ctx.addIssue({ code: 'custom', message: own ?? range });
				return z.NEVER;
			}
			return value;
		});
}
