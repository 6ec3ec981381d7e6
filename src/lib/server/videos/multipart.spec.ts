import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyRefused, readMultipartForm } from './multipart';

let folder: string;
beforeAll(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'colab-multipart-spec-'));
});
afterAll(async () => {
	await rm(folder, { recursive: true, force: true });
});

/** The bytes and type a browser sends for a form, delivered `size` bytes at a time. */
async function encoded(form: FormData, size = 64 * 1024, cut = 0) {
	const request = new Request('http://x/', { method: 'POST', body: form });
	const bytes = new Uint8Array(await request.arrayBuffer()).subarray(0, cut ? -cut : undefined);
	const type = request.headers.get('content-type')!;
	let at = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(at, at + size));
			at += size;
		}
	});
	return new Request('http://x/', {
		method: 'POST',
		headers: { 'content-type': type },
		body,
		duplex: 'half'
	} as RequestInit);
}

const options = (overrides = {}) => ({
	toDisk: ['file'],
	folder,
	diskLimit: 1_000_000,
	memoryLimit: 100_000,
	bodyLimit: 2_000_000,
	...overrides
});

/** Bytes that look like a delimiter's start, to trip a careless parser. */
function tricky(length: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(length);
	const pattern = new TextEncoder().encode('\r\n--\r\n----WebKit\r\n\r\n');
	for (let i = 0; i < length; i++)
		out[i] = i % 3 === 0 ? pattern[i % pattern.length]! : (i * 7) & 0xff;
	return out;
}

function sample() {
	const form = new FormData();
	form.append('link', 'https://youtu.be/x\u0000yz');
	form.append('transcript', 'Line one\r\nLine two — ünïcode');
	form.append('file', new File([tricky(200_000)], 'clip.webm', { type: 'video/webm' }));
	form.append('captions', new File(['WEBVTT\n'], 'c.vtt', { type: 'text/vtt' }));
	return form;
}

describe('streamed multipart forms', () => {
	for (const size of [13, 4096, 64 * 1024]) {
		it(`read fields, a file to disk and small files in memory, in chunks of ${size} bytes`, async () => {
			const form = await readMultipartForm(await encoded(sample(), size), options());
			expect(form.fields.get('link')).toBe('https://youtu.be/xyz');
			expect(form.fields.get('transcript')).toBe('Line one\r\nLine two — ünïcode');
			const captions = form.fields.get('captions') as File;
			expect(captions.name).toBe('c.vtt');
			expect(await captions.text()).toBe('WEBVTT\n');
			const file = form.files.get('file')!;
			expect(file).toMatchObject({
				kind: 'received',
				name: 'clip.webm',
				type: 'video/webm',
				size: 200_000
			});
			expect(new Uint8Array(await readFile(file.path))).toEqual(tricky(200_000));
			await form.cleanup();
			expect(await readdir(folder)).toEqual([]);
		});
	}

	it('reads a file field left empty as browsers send it: no file', async () => {
		const body =
			'--b\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n' +
			'--b\r\nContent-Disposition: form-data; name="link"\r\n\r\nhttps://vimeo.com/1\r\n--b--\r\n';
		const request = new Request('http://x/', {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=b' },
			body
		});
		const form = await readMultipartForm(request, options());
		expect(form.files.size).toBe(0);
		expect((form.fields.get('file') as File).size).toBe(0);
		expect((form.fields.get('file') as File).name).toBe('');
		expect(form.fields.get('link')).toBe('https://vimeo.com/1');
	});

	it('stops writing past the disk limit but counts every byte', async () => {
		const form = await readMultipartForm(await encoded(sample()), options({ diskLimit: 1000 }));
		const file = form.files.get('file')!;
		expect(file.size).toBe(200_000);
		expect((await readFile(file.path)).length).toBe(1000);
		await form.cleanup();
	});

	it('refuses a body it cannot read, or too much in memory, and leaves no file', async () => {
		const refusal = async (request: Request, overrides = {}) => {
			try {
				await readMultipartForm(request, options(overrides));
			} catch (failure) {
				if (failure instanceof BodyRefused) return failure.problem.status;
				throw failure;
			}
			return 'read';
		};
		const noBoundary = new Request('http://x/', {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data' },
			body: 'a'
		});
		expect(await refusal(noBoundary)).toBe(400);
		expect(await refusal(await encoded(sample(), 4096, 10))).toBe(400);
		expect(await refusal(await encoded(sample()), { memoryLimit: 10 })).toBe(413);
		expect(await readdir(folder)).toEqual([]);
	});
});
