// Small video files for specs, journeys and the bench: the real container structure (so the
// content checks pass) around a few bytes standing for the pictures.

function box(type: string, content: Uint8Array): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(8 + content.byteLength);
	new DataView(out.buffer).setUint32(0, out.byteLength);
	out.set(new TextEncoder().encode(type), 4);
	out.set(content, 8);
	return out;
}

function join(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.byteLength;
	}
	return out;
}

function filler(length: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
	return out;
}

/** An MP4: ftyp, moov and mdat boxes, with `mediaBytes` bytes of media. */
export function sampleMp4(mediaBytes = 1024): Uint8Array<ArrayBuffer> {
	const ftyp = box(
		'ftyp',
		join([
			new TextEncoder().encode('isom'),
			new Uint8Array([0, 0, 2, 0]),
			new TextEncoder().encode('isommp41')
		])
	);
	const moov = box('moov', box('mvhd', new Uint8Array(100)));
	return join([ftyp, moov, box('mdat', filler(mediaBytes))]);
}

/** A WebM: an EBML header saying "webm", then one Segment of `mediaBytes` bytes (under 16 KB). */
export function sampleWebm(mediaBytes = 1024): Uint8Array<ArrayBuffer> {
	const docType = new TextEncoder().encode('webm');
	const header = join([
		new Uint8Array([0x42, 0x86, 0x81, 0x01]),
		new Uint8Array([0x42, 0x82, 0x80 | docType.byteLength]),
		docType
	]);
	if (mediaBytes >= 0x3fff) throw new Error('sampleWebm makes small files only');
	return join([
		new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.byteLength]),
		header,
		// Segment, with its size as a two-byte number.
		new Uint8Array([0x18, 0x53, 0x80, 0x67, 0x40 | (mediaBytes >> 8), mediaBytes & 0xff]),
		filler(mediaBytes)
	]);
}

/** WebVTT captions with two cues. */
export const SAMPLE_CAPTIONS = `WEBVTT

00:00:00.000 --> 00:00:03.000
Hello, and welcome to the café.

00:00:03.000 --> 00:00:06.500
Today we talk about co-production.
`;
