/**
 * One CSV cell: quoted when it must be, and defused so a spreadsheet never runs it as a formula
 * (a leading = + - @, tab or carriage return gets an apostrophe in front).
 */
export function csvCell(value: string | number | null): string {
	let text = value === null ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
