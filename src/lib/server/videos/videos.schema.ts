import { z } from 'zod';

/** A transcript of a long talk fits easily; a longer one is refused, never cut. */
export const TRANSCRIPT_MAX = 60_000;
/** Captions for a two-hour film are about 150 KB. */
export const CAPTIONS_MAX_BYTES = 512 * 1024;

/** The text fields of the video form (the files are checked by the service). */
export const videoFormSchema = z.object({
	link: z.string().trim().default(''),
	transcript: z
		.string()
		.default('')
		.refine((text) => text.length <= TRANSCRIPT_MAX, {
			message: `The transcript can be up to ${TRANSCRIPT_MAX.toLocaleString('en-GB')} characters. Shorten it, or link to the full text in it.`
		}),
	removeCaptions: z
		.string()
		.optional()
		.transform((value) => value === 'yes')
});

export type VideoFormInput = z.output<typeof videoFormSchema>;

export type CaptionsCheck = { ok: true; text: string } | { ok: false; message: string };

/**
 * Captions must be a WebVTT file: UTF-8 text starting with "WEBVTT" (the format's own first
 * word), with at least one timed cue. Line endings become \n; nothing else is changed.
 */
export function checkCaptions(bytes: Uint8Array): CaptionsCheck {
	if (bytes.byteLength > CAPTIONS_MAX_BYTES) {
		return {
			ok: false,
			message: `This captions file is ${Math.ceil(bytes.byteLength / 1024)} KB. The most we take is ${CAPTIONS_MAX_BYTES / 1024} KB.`
		};
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return {
			ok: false,
			message:
				'This captions file is not plain text (UTF-8). Save it as WebVTT (.vtt) and choose it again.'
		};
	}
	text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	if (!/^WEBVTT(?:[ \t][^\n]*)?(?:\n|$)/.test(text)) {
		return {
			ok: false,
			message:
				'This is not a WebVTT captions file: its first line must be WEBVTT. If you have an .srt file, convert it to .vtt first.'
		};
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) {
		return {
			ok: false,
			message: 'This captions file has characters that are not text in it. Save it as WebVTT again.'
		};
	}
	if (!/(?:^|\n)(?:\d+:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d+:)?\d{2}:\d{2}\.\d{3}/.test(text)) {
		return {
			ok: false,
			message:
				'This captions file has no timed captions in it (lines such as 00:00:01.000 --> 00:00:04.000).'
		};
	}
	return { ok: true, text };
}
