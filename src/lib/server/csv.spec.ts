import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv } from './csv';

function cells(text: string) {
	const result = parseCsv(text);
	if (!result.ok) throw new Error(result.message);
	return result.records.map((r) => [r.line, ...r.cells]);
}

describe('parseCsv', () => {
	it('reads plain records with LF, CRLF or CR, and no line break at the end', () => {
		expect(cells('a,b\n1,2')).toEqual([
			[1, 'a', 'b'],
			[2, '1', '2']
		]);
		expect(cells('a,b\r\n1,2\r\n')).toEqual([
			[1, 'a', 'b'],
			[2, '1', '2']
		]);
		expect(cells('a,b\r1,2\r')).toEqual([
			[1, 'a', 'b'],
			[2, '1', '2']
		]);
	});

	it('drops a byte-order mark and keeps empty cells and empty lines (for true line numbers)', () => {
		expect(cells('\uFEFFa,,c\n\n,x,\n')).toEqual([
			[1, 'a', '', 'c'],
			[2, ''],
			[3, '', 'x', '']
		]);
	});

	it('reads quoted cells with commas, doubled quotes and line breaks, counting lines', () => {
		expect(cells('"a, b","say ""hi""","two\r\nlines"\nnext,"x\ny"\nlast')).toEqual([
			[1, 'a, b', 'say "hi"', 'two\r\nlines'],
			[3, 'next', 'x\ny'],
			[5, 'last']
		]);
		expect(cells('""\n"",""')).toEqual([
			[1, ''],
			[2, '', '']
		]);
	});

	it('keeps a quote in the middle of an unquoted cell as written', () => {
		expect(cells('it"s,ok')).toEqual([[1, 'it"s', 'ok']]);
	});

	it('marks a record with text after a closing quote, and goes on', () => {
		const result = parseCsv('"a"b,c\nd');
		expect(result.ok && result.records).toEqual([
			{
				line: 1,
				cells: ['ab', 'c'],
				problem: 'There is text after a closing quote (") in this line.'
			},
			{ line: 2, cells: ['d'] }
		]);
	});

	it('fails a file whose quote never closes, naming the line it opens on', () => {
		expect(parseCsv('a\nb,"c\nd\n')).toEqual({
			ok: false,
			line: 2,
			message: 'A quote (") opens on line 2 and never closes.'
		});
	});

	it('reads back what csvCell writes', () => {
		const row = ['plain', 'with, comma', 'with "quote"', 'two\r\nlines', '=SUM(A1)', ''];
		expect(cells(row.map(csvCell).join(',') + '\r\n')).toEqual([
			[1, 'plain', 'with, comma', 'with "quote"', 'two\r\nlines', "'=SUM(A1)", '']
		]);
	});

	it('returns nothing for empty text', () => {
		expect(cells('')).toEqual([]);
		expect(cells('\uFEFF')).toEqual([]);
	});
});

describe('csvCell', () => {
	it('defuses formulas and quotes what must be quoted', () => {
		expect(csvCell('=1+2')).toBe("'=1+2");
		expect(csvCell('+44 20')).toBe("'+44 20");
		expect(csvCell('-x')).toBe("'-x");
		expect(csvCell('@me')).toBe("'@me");
		expect(csvCell('a,b')).toBe('"a,b"');
		expect(csvCell(null)).toBe('');
		expect(csvCell(3)).toBe('3');
	});
});
