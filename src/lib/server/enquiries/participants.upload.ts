import mammoth from 'mammoth';
import { describeBytes } from '../http/body-guard';
import type { SourceFormat } from './enquiries.tables';
import { INTERVIEW_BODY_MAX } from './participants.schema';

/** The largest file taken for an interview. */
export const INTERVIEW_FILE_MAX_BYTES = 5 * 1024 * 1024;

/** Said after every refusal of a file: browsers never send a file back with a returned form. */
export const CHOOSE_FILE_AGAIN =
	'Choose the file again when you send the form: for your safety, browsers do not keep it.';

export type InterviewText =
	| { ok: true; text: string; format: SourceFormat; name: string | null }
	| { ok: false; message: string };

const n = (value: number) => value.toLocaleString('en-GB');

/**
 * Plain text as we keep it: line endings as \n, no control characters other than newline and
 * tab, no blank lines at either end. Excerpts point into it by offsets, so it is made once here.
 */
export function normaliseText(text: string): string {
	return (
		text
			.replace(/^\uFEFF/, '')
			.replace(/\r\n?/g, '\n')
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
			.replace(/^\s*\n/, '')
			.trimEnd()
	);
}

const SIGNATURES: Array<{ bytes: number[]; what: string }> = [
	{ bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG picture' },
	{ bytes: [0xff, 0xd8, 0xff], what: 'a JPEG picture' },
	{ bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF picture' },
	{ bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
	{ bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip file (perhaps a Word document)' },
	{ bytes: [0x52, 0x49, 0x46, 0x46], what: 'a picture or sound file' },
	{ bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Word (.doc) or Excel file' }
];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
	return signature.every((b, i) => bytes[i] === b);
}

/** Bytes as UTF-8 text, or why they are not text. */
export function decodeText(
	bytes: Uint8Array
): { ok: true; text: string } | { ok: false; message: string } {
	for (const { bytes: signature, what } of SIGNATURES)
		if (startsWith(bytes, signature))
			return {
				ok: false,
				message: `This file is ${what}, not text. Choose a .txt, .md, .docx or .vtt file.`
			};
	if (bytes.includes(0))
		return {
			ok: false,
			message:
				'This file is not plain text (it has null bytes in it). Save it as plain text (UTF-8) and choose it again.'
		};
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		return {
			ok: false,
			message:
				'This file is not UTF-8 text. Save it as “Plain text, UTF-8” in your editor and choose it again.'
		};
	}
}

/**
 * WebVTT captions as a readable transcript: cue numbers, timings, NOTE/STYLE/REGION blocks and
 * tags dropped; `<v Speaker>` kept as "Speaker: text"; a speaker's lines merged into paragraphs.
 */
export function vttToText(
	vtt: string
): { ok: true; text: string } | { ok: false; message: string } {
	const text = vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	if (!/^WEBVTT(?:[ \t].*)?(?:\n|$)/.test(text))
		return {
			ok: false,
			message: 'This is not a WebVTT captions file: its first line must be WEBVTT.'
		};
	const blocks = text.split(/\n{2,}/).slice(1);
	const paragraphs: Array<{ speaker: string | null; words: string[] }> = [];
	for (const block of blocks) {
		const lines = block.split('\n').filter((l) => l.trim() !== '');
		if (!lines.length) continue;
		if (/^(NOTE|STYLE|REGION)(\s|$)/.test(lines[0]!)) continue;
		const timing = lines.findIndex((l) => l.includes('-->'));
		if (timing === -1) continue;
		for (const line of lines.slice(timing + 1)) {
			const voice = /^<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(line);
			const speaker = voice ? voice[1]!.trim() : null;
			const words = line
				.replace(/<[^>]*>/g, '')
				.replace(/&amp;/g, '&')
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>')
				.replace(/&nbsp;/g, ' ')
				.trim();
			if (!words) continue;
			const last = paragraphs.at(-1);
			if (last && (speaker === null || speaker === last.speaker)) last.words.push(words);
			else paragraphs.push({ speaker, words: [words] });
		}
	}
	return {
		ok: true,
		text: paragraphs
			.map((p) => (p.speaker ? `${p.speaker}: ` : '') + p.words.join(' '))
			.join('\n\n')
	};
}

async function docxToText(
	bytes: Uint8Array
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
	if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
		return {
			ok: false,
			message:
				'This file is not a Word (.docx) document. Save it from Word as .docx and choose it again.'
		};
	try {
		const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
		return { ok: true, text: result.value };
	} catch {
		return {
			ok: false,
			message:
				'We could not read this Word document: it may be damaged, or not a .docx file. Open it in Word, save it again as .docx, and choose it again.'
		};
	}
}

/** Which kind of file a name says it is, or undefined for one we do not take. */
function formatOfName(name: string): Exclude<SourceFormat, 'typed'> | undefined {
	const ext = name.toLowerCase().split('.').pop();
	if (ext === 'txt') return 'text';
	if (ext === 'md' || ext === 'markdown') return 'markdown';
	if (ext === 'docx') return 'docx';
	if (ext === 'vtt') return 'vtt';
	return undefined;
}

/** The message for a body over the limit: never cut silently. */
export function tooLongMessage(length: number): string {
	return `The interview is ${n(length)} characters long; the most we take is ${n(INTERVIEW_BODY_MAX)}. Split it into two interviews.`;
}

/**
 * The text of an interview from a typed body or an uploaded file (a file wins when both are
 * sent). Never throws for anything a person can send.
 */
export async function readInterviewText(
	typed: string,
	file: File | null
): Promise<InterviewText | { ok: true; text: null }> {
	if (file && !(file.size === 0 && file.name === '')) {
		const name = file.name.slice(0, 200);
		const format = formatOfName(name);
		if (!format)
			return {
				ok: false,
				message: `We take .txt, .md, .docx or .vtt files. ${CHOOSE_FILE_AGAIN}`
			};
		if (file.size === 0) return { ok: false, message: `This file is empty. ${CHOOSE_FILE_AGAIN}` };
		if (file.size > INTERVIEW_FILE_MAX_BYTES)
			return {
				ok: false,
				message: `This file is ${describeBytes(file.size)}; the most we take is ${describeBytes(INTERVIEW_FILE_MAX_BYTES)}. ${CHOOSE_FILE_AGAIN}`
			};
		const bytes = new Uint8Array(await file.arrayBuffer());
		let extracted: { ok: true; text: string } | { ok: false; message: string };
		if (format === 'docx') extracted = await docxToText(bytes);
		else {
			const decoded = decodeText(bytes);
			extracted = decoded.ok && format === 'vtt' ? vttToText(decoded.text) : decoded;
		}
		if (!extracted.ok) return { ok: false, message: `${extracted.message} ${CHOOSE_FILE_AGAIN}` };
		const text = normaliseText(extracted.text);
		if (!text.trim())
			return { ok: false, message: `We found no words in this file. ${CHOOSE_FILE_AGAIN}` };
		if (text.length > INTERVIEW_BODY_MAX)
			return { ok: false, message: tooLongMessage(text.length) };
		return { ok: true, text, format, name };
	}
	const text = normaliseText(typed);
	if (!text.trim()) return { ok: true, text: null };
	if (text.length > INTERVIEW_BODY_MAX) return { ok: false, message: tooLongMessage(text.length) };
	return { ok: true, text, format: 'typed', name: null };
}
