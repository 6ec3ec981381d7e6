/**
 * One CSV cell: quoted when it must be, and defused so a spreadsheet never runs it as a formula
 * (a leading = + - @, tab or carriage return gets an apostrophe in front).
 */
export function csvCell(value: string | number | null): string {
	let text = value === null ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record of a CSV file: its cells, and the line it starts on (1 for the first). */
export interface CsvRecord {
	line: number;
	cells: string[];
	/** Set when the record is malformed (text after a closing quote); its cells are a guess. */
	problem?: string;
}

export type CsvParse =
	{ ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

/**
 * Reads CSV text as RFC 4180 writes it: commas between cells, CRLF (or LF, or CR) between
 * records, quotes around cells that hold commas, quotes or line breaks, a quote inside quotes
 * doubled. A byte-order mark at the start is dropped. Lenient where spreadsheets are sloppy (a
 * quote in the middle of an unquoted cell is kept as written); a quote that never closes fails
 * the whole file, since every record after it would be wrong. Empty lines come back as records
 * with one empty cell, so line numbers stay true; callers skip them.
 */
export function parseCsv(input: string): CsvParse {
	const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
	const records: CsvRecord[] = [];
	let line = 1;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const start = line;
		const cells: string[] = [];
		let problem: string | undefined;
		let cell = '';
		for (;;) {
			if (text[i] === '"') {
				// A quoted cell: runs to the next quote that is not doubled.
				const opened = line;
				i++;
				for (;;) {
					if (i >= n)
						return {
							ok: false,
							line: opened,
							message: `A quote (") opens on line ${opened} and never closes.`
						};
					const ch = text[i]!;
					if (ch === '"') {
						if (text[i + 1] === '"') {
							cell += '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (ch === '\r') {
						line++;
						if (text[i + 1] === '\n') {
							cell += '\r\n';
							i += 2;
							continue;
						}
					} else if (ch === '\n') line++;
					cell += ch;
					i++;
				}
				// Anything but a comma or a line break after the closing quote is malformed.
				while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
					problem ??= 'There is text after a closing quote (") in this line.';
					cell += text[i];
					i++;
				}
			} else {
				while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
					cell += text[i];
					i++;
				}
			}
			cells.push(cell);
			cell = '';
			if (i < n && text[i] === ',') {
				i++;
				continue;
			}
			// End of the record: a line break (CRLF, LF or CR) or the end of the text.
			if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
			else if (text[i] === '\n') i++;
			line++;
			break;
		}
		records.push(problem ? { line: start, cells, problem } : { line: start, cells });
	}
	return { ok: true, records };
}
