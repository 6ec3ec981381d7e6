import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVideoFile, VideoStore } from './video-files';
import { sampleMp4, sampleWebm } from './videos.testing';

let folder: string;
beforeAll(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'colab-video-spec-'));
});
afterAll(async () => {
	await rm(folder, { recursive: true, force: true });
});

async function check(bytes: Uint8Array | string) {
	const file = path.join(folder, `check-${Math.random()}.bin`);
	await writeFile(file, bytes);
	return checkVideoFile(file);
}

function stream(bytes: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array> {
	return new Blob([bytes]).stream();
}

describe('video files are checked by their content', () => {
	it('takes whole MP4 and WebM files, whatever they are called', async () => {
		expect(await check(sampleMp4())).toEqual({ ok: true, contentType: 'video/mp4' });
		expect(await check(sampleWebm())).toEqual({ ok: true, contentType: 'video/webm' });
	});

	it('refuses an HTML page or a picture named as a video', async () => {
		const html = await check('<!DOCTYPE html><html><script>alert(1)</script></html>');
		expect(html).toEqual({ ok: false, message: 'This file is not an MP4 or WebM video.' });
		const png = await check(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]));
		expect(png.ok).toBe(false);
		expect(await check('')).toMatchObject({ ok: false });
	});

	it('refuses a file cut off partway', async () => {
		const mp4 = sampleMp4(4096);
		expect(await check(mp4.subarray(0, mp4.byteLength - 100))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/incomplete/)
		});
		// Cut before the index: no moov box.
		expect(await check(mp4.subarray(0, 20))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/incomplete/)
		});
		const webm = sampleWebm(4096);
		expect(await check(webm.subarray(0, webm.byteLength - 1))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/incomplete/)
		});
	});

	it('refuses a Matroska file that is not WebM, and a damaged MP4', async () => {
		const mkv = sampleWebm();
		const at = Buffer.from(mkv).indexOf('webm');
		mkv.set(new TextEncoder().encode('mkvx'), at);
		expect((await check(mkv)).ok).toBe(false);
		const damaged = sampleMp4();
		damaged.set([0, 0, 0, 3], 24); // the moov box (after the 24-byte ftyp) claims 3 bytes
		expect((await check(damaged)).ok).toBe(false);
	});
});

describe('the video store', () => {
	it('streams a file in, keeps it under a new id, and removes it', async () => {
		const store = new VideoStore(path.join(folder, 'store'));
		const staged = await store.stage(stream(sampleWebm(2000)), 1_000_000);
		expect(staged.ok).toBe(true);
		if (!staged.ok) return;
		expect(staged.video.contentType).toBe('video/webm');
		expect(await readdir(store.folder)).toEqual([`${staged.video.fileId}.webm`]);
		await store.remove(staged.video.fileId, staged.video.contentType);
		expect(await readdir(store.folder)).toEqual([]);
	});

	it('stops reading a file over the limit, and leaves nothing behind from a refused one', async () => {
		const store = new VideoStore(path.join(folder, 'limits'));
		expect(await store.stage(stream(sampleMp4(50_000)), 10_000)).toEqual({
			ok: false,
			message: 'too large'
		});
		const html = new TextEncoder().encode('<html>not a video</html>'.repeat(10));
		expect(await store.stage(stream(html), 10_000)).toMatchObject({ ok: false });
		expect(await readdir(store.folder)).toEqual([]);
	});

	it('never makes a path from a name that is not a file id', () => {
		const store = new VideoStore(folder);
		expect(store.pathOf('../../etc/passwd', 'video/mp4')).toBeUndefined();
		expect(store.pathOf('a'.repeat(22), 'text/html')).toBeUndefined();
		expect(store.pathOf('a'.repeat(22), 'video/mp4')).toBe(
			path.join(folder, `${'a'.repeat(22)}.mp4`)
		);
	});
});
