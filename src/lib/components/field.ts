/** Shared wiring for form fields: ids for the hint and error, and aria-describedby. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
	const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
	return ids.length ? ids.join(' ') : undefined;
}

export interface Option {
	value: string;
	label: string;
	hint?: string;
}
