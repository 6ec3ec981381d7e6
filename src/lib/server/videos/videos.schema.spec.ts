import { describe, expect, it } from 'vitest';
import { CAPTIONS_MAX_BYTES, checkCaptions } from './videos.schema';
import { SAMPLE_CAPTIONS } from './videos.testing';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('captions files', () => {
	it('take WebVTT, with a byte order mark or Windows line endings', () => {
		expect(checkCaptions(bytes(SAMPLE_CAPTIONS))).toEqual({ ok: true, text: SAMPLE_CAPTIONS });
		const windows = '\uFEFF' + SAMPLE_CAPTIONS.replace(/\n/g, '\r\n');
		expect(checkCaptions(bytes(windows))).toEqual({ ok: true, text: SAMPLE_CAPTIONS });
	});

	it('refuse what is not WebVTT, with a reason', () => {
		const srt = '1\n00:00:00,000 --> 00:00:03,000\nHello\n';
		expect(checkCaptions(bytes(srt))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/first line must be WEBVTT/)
		});
		expect(checkCaptions(bytes('WEBVTTX\n'))).toMatchObject({ ok: false });
		expect(checkCaptions(bytes('WEBVTT\n\nno cues here\n'))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/no timed captions/)
		});
		expect(checkCaptions(new Uint8Array([0x57, 0x45, 0xff, 0xfe]))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/not plain text/)
		});
		expect(checkCaptions(new Uint8Array(CAPTIONS_MAX_BYTES + 1))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/most we take/)
		});
	});
});
