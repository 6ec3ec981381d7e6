import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { INTERVIEW_BODY_MAX } from './participants.schema';
import { normaliseText, readInterviewText, vttToText } from './participants.upload';

const file = (parts: Array<BlobPart | Uint8Array>, name: string) =>
	new File(parts as BlobPart[], name);

async function docx(text: string): Promise<Uint8Array> {
	const zip = new JSZip();
	zip.file(
		'[Content_Types].xml',
		'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
	);
	zip.file(
		'_rels/.rels',
		'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
	);
	zip.file(
		'word/document.xml',
		`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p><w:p><w:r><w:t>Second paragraph.</w:t></w:r></w:p></w:body></w:document>`
	);
	return zip.generateAsync({ type: 'uint8array' });
}

describe('reading an interview', () => {
	it('takes typed text, normalising line endings and control characters', async () => {
		expect(await readInterviewText('  \r\nHello\r\nthere\u0007\tyou\r\n\r\n', null)).toEqual({
			ok: true,
			text: 'Hello\nthere\tyou',
			format: 'typed',
			name: null
		});
		expect(await readInterviewText('   ', null)).toEqual({ ok: true, text: null });
		expect(normaliseText('\uFEFFa\rb')).toBe('a\nb');
	});

	it('refuses text over the limit, saying the limit, never cutting', async () => {
		const result = await readInterviewText('a'.repeat(INTERVIEW_BODY_MAX + 1), null);
		expect(result).toMatchObject({ ok: false });
		expect(!result.ok && result.message).toContain('200,000');
	});

	it('takes .txt and .md as UTF-8', async () => {
		expect(await readInterviewText('', file(['Café talk'], 'notes.txt'))).toMatchObject({
			ok: true,
			text: 'Café talk',
			format: 'text',
			name: 'notes.txt'
		});
		expect(await readInterviewText('', file(['# Notes'], 'n.md'))).toMatchObject({
			format: 'markdown'
		});
	});

	it('refuses an image named .txt, NUL bytes, invalid UTF-8 and unknown kinds', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);
		const refused = async (f: File) => {
			const r = await readInterviewText('typed too', f);
			expect(r.ok).toBe(false);
			return r.ok ? '' : r.message;
		};
		expect(await refused(file([png], 'photo.txt'))).toContain('PNG picture');
		expect(await refused(file([new Uint8Array([0x48, 0x00, 0x69])], 'a.txt'))).toContain(
			'null bytes'
		);
		expect(await refused(file([new Uint8Array([0xc3, 0x28])], 'a.txt'))).toContain('UTF-8');
		expect(await refused(file(['x'], 'a.pdf'))).toContain('.txt, .md, .docx or .vtt');
		expect(await refused(file([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'a.md'))).toContain(
			'PDF'
		);
	});

	it('reads a real .docx and refuses a broken one or a zip without a document', async () => {
		const good = await readInterviewText('', file([await docx('We need each other.')], 'i.docx'));
		expect(good).toEqual({
			ok: true,
			text: 'We need each other.\n\nSecond paragraph.',
			format: 'docx',
			name: 'i.docx'
		});
		const broken = await readInterviewText('', file(['not a zip at all'], 'i.docx'));
		expect(broken).toMatchObject({ ok: false });
		const truncated = (await docx('Hello')).slice(0, 60);
		expect(await readInterviewText('', file([truncated], 'i.docx'))).toMatchObject({ ok: false });
		const zip = new JSZip();
		zip.file('hello.txt', 'hi');
		const empty = await zip.generateAsync({ type: 'uint8array' });
		expect(await readInterviewText('', file([empty], 'i.docx'))).toMatchObject({ ok: false });
	});

	it('reads WebVTT: drops timings, numbers and notes; keeps speakers; merges paragraphs', async () => {
		const vtt = [
			'WEBVTT',
			'',
			'NOTE recorded at the library',
			'',
			'1',
			'00:00:01.000 --> 00:00:03.000',
			'<v Interviewer>What does it mean to you?',
			'',
			'2',
			'00:00:03.500 --> 00:00:05.000 align:start',
			'<v Priya>It means we need',
			'',
			'00:00:05.000 --> 00:00:07.000',
			'<v Priya>each other.</v>',
			''
		].join('\r\n');
		expect(vttToText(vtt)).toEqual({
			ok: true,
			text: 'Interviewer: What does it mean to you?\n\nPriya: It means we need each other.'
		});
		expect(await readInterviewText('', file([vtt], 'c.vtt'))).toMatchObject({
			ok: true,
			format: 'vtt'
		});
		expect(await readInterviewText('', file(['not captions'], 'c.vtt'))).toMatchObject({
			ok: false
		});
	});
});
