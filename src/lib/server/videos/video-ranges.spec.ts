import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRange, serveFile } from './video-ranges';

describe('range headers', () => {
	it('read one range, open-ended or from the end', () => {
		expect(readRange(null, 100)).toEqual({ kind: 'whole' });
		expect(readRange('bytes=0-9', 100)).toEqual({ kind: 'part', start: 0, end: 9 });
		expect(readRange('bytes=90-', 100)).toEqual({ kind: 'part', start: 90, end: 99 });
		expect(readRange('bytes=-10', 100)).toEqual({ kind: 'part', start: 90, end: 99 });
		expect(readRange('bytes=-500', 100)).toEqual({ kind: 'part', start: 0, end: 99 });
		expect(readRange('bytes=50-500', 100)).toEqual({ kind: 'part', start: 50, end: 99 });
	});

	it('serve the whole file for what they cannot read, and refuse a range past the end', () => {
		expect(readRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' });
		expect(readRange('items=0-5', 100)).toEqual({ kind: 'whole' });
		expect(readRange('bytes=9-2', 100)).toEqual({ kind: 'whole' });
		expect(readRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
		expect(readRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
	});
});

describe('serving a file', () => {
	let folder: string;
	let file: string;
	const bytes = new Uint8Array(1000).map((_, i) => i % 256);
	beforeAll(async () => {
		folder = await mkdtemp(path.join(tmpdir(), 'colab-range-spec-'));
		file = path.join(folder, 'v.mp4');
		await writeFile(file, bytes);
	});
	afterAll(async () => {
		await rm(folder, { recursive: true, force: true });
	});

	const ask = (headers: Record<string, string> = {}, method = 'GET') =>
		serveFile(new Request('http://x/v', { method, headers }), file, 'video/mp4', '"v1"');

	it('answers 200 with the whole file and says ranges are taken', async () => {
		const response = (await ask())!;
		expect(response.status).toBe(200);
		expect(response.headers.get('accept-ranges')).toBe('bytes');
		expect(response.headers.get('content-length')).toBe('1000');
		expect(response.headers.get('content-type')).toBe('video/mp4');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toContain('immutable');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
	});

	it('answers 206 with the part asked for', async () => {
		const response = (await ask({ range: 'bytes=100-199' }))!;
		expect(response.status).toBe(206);
		expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
		expect(response.headers.get('content-length')).toBe('100');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200));
	});

	it('answers 416 for a range past the end, and HEAD without a body', async () => {
		const past = (await ask({ range: 'bytes=5000-' }))!;
		expect(past.status).toBe(416);
		expect(past.headers.get('content-range')).toBe('bytes */1000');
		const head = (await ask({ range: 'bytes=0-9' }, 'HEAD'))!;
		expect(head.status).toBe(206);
		expect(head.headers.get('content-length')).toBe('10');
		expect(head.body).toBeNull();
	});

	it('sends the whole file when If-Range names another version, and nothing for a missing file', async () => {
		expect((await ask({ range: 'bytes=0-9', 'if-range': '"old"' }))!.status).toBe(200);
		expect(
			await serveFile(new Request('http://x/'), path.join(folder, 'none.mp4'), 'video/mp4', '"x"')
		).toBeUndefined();
	});
});
