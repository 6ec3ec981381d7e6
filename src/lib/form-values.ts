// Shared by the server's form handling and the pages that refill forms: what a person typed,
// and the messages about it. Nothing here may be server-only.

/** What a person typed, by field name (repeated fields such as checkboxes become lists). */
export type FormValues = Record<string, string | string[]>;
/** One plain-English message per field name that needs fixing. */
export type FieldErrors = Record<string, string>;

/** One value from FormValues as a string (the first, for repeated fields; '' when absent). */
export function valueOf(
	values: Readonly<Record<string, string | string[] | null | undefined>> | null | undefined,
	name: string
): string {
	const v = values?.[name];
	return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
