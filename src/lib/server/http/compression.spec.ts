import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody as decode, requestRaw as getRaw } from '../testing/raw-http';
import {
	carriesSecret,
	chooseEncoding,
	compressResponse,
	isCompressible,
	varyOnEncoding,
	weakEtag
} from './compression';

describe('chooseEncoding', () => {
	it.each([
		[undefined, 'identity'],
		['', 'identity'],
		['gzip', 'gzip'],
		['br', 'br'],
		['gzip, deflate, br, zstd', 'br'],
		['br, gzip', 'br'],
		['GZIP', 'gzip'],
		['x-gzip', 'gzip'],
		['deflate', 'identity'],
		['*', 'br'],
		['br;q=0, *', 'gzip'],
		['br;q=0.5, gzip', 'gzip'],
		['br;q=0.8, gzip;q=0.8', 'br'],
		['gzip;q=0, br;q=0', 'identity'],
		['gzip;q=0.2, identity;q=1', 'identity'],
		['gzip;q=1, identity;q=1', 'gzip'],
		['*;q=0', 'identity'],
		['gzip;q=abc', 'identity'],
		['gzip;q=2', 'identity'],
		[' br ; q=0.9 , gzip ; q=1 ', 'gzip'],
		[['gzip', 'br'], 'br']
	] as Array<[string | string[] | undefined, string]>)('%j gives %s', (header, expected) => {
		expect(chooseEncoding(header)).toBe(expected);
		// The answer is remembered per header; asking again gives the same.
		expect(chooseEncoding(header)).toBe(expected);
	});
});

describe('carriesSecret', () => {
	it('knows the addresses that carry a private code or an emailed token', () => {
		for (const target of [
			'/events/places/abc123',
			'/organisations/invites/xyz/accept',
			'/assessments/respond/KEY',
			'/sign-in/link?token=abc',
			'/reset-password?next=%2F&token=abc'
		])
			expect(carriesSecret(target), target).toBe(true);
		for (const target of ['/events', '/events?q=token', '/account', '/', undefined])
			expect(carriesSecret(target), String(target)).toBe(false);
	});
});

describe('isCompressible, varyOnEncoding, weakEtag', () => {
	it('compresses text and the text formats CoLab sends, not images or event streams', () => {
		for (const type of [
			'text/html; charset=utf-8',
			'text/csv',
			'text/calendar; charset=utf-8',
			'application/json',
			'application/javascript',
			'application/manifest+json',
			'image/svg+xml'
		])
			expect(isCompressible(type), type).toBe(true);
		for (const type of ['image/png', 'application/octet-stream', 'text/event-stream', undefined])
			expect(isCompressible(type), String(type)).toBe(false);
	});

	it('adds Accept-Encoding to Vary once', () => {
		expect(varyOnEncoding(undefined)).toBe('Accept-Encoding');
		expect(varyOnEncoding('Origin')).toBe('Origin, Accept-Encoding');
		expect(varyOnEncoding('origin, accept-encoding')).toBe('origin, accept-encoding');
		expect(varyOnEncoding('*')).toBe('*');
	});

	it('weakens a strong ETag only', () => {
		expect(weakEtag('"abc"')).toBe('W/"abc"');
		expect(weakEtag('W/"abc"')).toBe('W/"abc"');
	});
});

const PAGE =
	'<!doctype html><title>Events</title>' + '<li>A Knowledge Café on Tuesday</li>'.repeat(200);

describe('compressResponse (through a real node:http server)', () => {
	let base = '';
	/** Lets the streaming route write its second part. */
	let releaseSecondPart: () => void = () => {};
	const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
		// As SvelteKit's setResponse writes: headers set one by one, writeHead(status), writes
		// that wait for 'drain' when told to, then end().
		'/page': (_req, res) => {
			res.setHeader('content-type', 'text/html; charset=utf-8');
			res.setHeader('etag', '"page-1"');
			res.writeHead(200);
			res.write(PAGE.slice(0, 1000));
			res.end(PAGE.slice(1000));
		},
		'/small': (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
			res.end('small');
		},
		'/implicit-small': (_req, res) => {
			res.setHeader('content-type', 'text/plain');
			res.end('small, and its length is known from end()');
		},
		// As sirv sends a precompressed file: its own Content-Encoding, Vary and length.
		'/precompressed': (_req, res) => {
			const body = zlib.gzipSync(PAGE);
			res.setHeader('Vary', 'Accept-Encoding');
			res.writeHead(200, {
				'Content-Type': 'text/html',
				'Content-Encoding': 'gzip',
				'Content-Length': body.length
			});
			res.end(body);
		},
		// As sirv sends a file it has no compressed copy of, with its length in writeHead.
		'/plain-file': (_req, res) => {
			res.writeHead(200, {
				'Content-Type': 'text/calendar',
				'Content-Length': Buffer.byteLength(PAGE)
			});
			res.end(PAGE);
		},
		'/image': (_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.end(Buffer.alloc(4096, 7));
		},
		'/events/places/secret-token': (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(PAGE);
		},
		'/no-transform': (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'private, no-transform' });
			res.end(PAGE);
		},
		'/not-modified': (_req, res) => {
			res.writeHead(304, { etag: '"page-1"' });
			res.end();
		},
		'/stream': (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.write('<p>first part</p>'.repeat(100));
			releaseSecondPart = () => res.end('<p>second part</p>');
		},
		// A large body written with backpressure, as setResponse does.
		'/large': (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/csv' });
			let row = 0;
			const next = () => {
				while (row < 60_000) {
					const line = `${row},person ${row},${(row * 7919) % 1000}\n`;
					row++;
					if (!res.write(line)) {
						res.once('drain', next);
						return;
					}
				}
				res.end();
			};
			next();
		}
	};
	const server = http.createServer((req, res) => {
		compressResponse(req, res);
		const route = routes[req.url ?? ''];
		if (route) route(req, res);
		else {
			res.writeHead(404);
			res.end();
		}
	});

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	it('sends a page as Brotli, gzip or as it is, by Accept-Encoding, with the same text', async () => {
		for (const [accept, expected] of [
			['br, gzip', 'br'],
			['gzip', 'gzip'],
			['', undefined],
			['br;q=0, gzip;q=0', undefined]
		] as const) {
			const response = await getRaw(`${base}/page`, accept ? { 'accept-encoding': accept } : {});
			expect(response.status).toBe(200);
			expect(response.headers['content-encoding']).toBe(expected);
			expect(response.headers.vary).toBe('Accept-Encoding');
			expect(decode(expected, response.body)).toBe(PAGE);
			if (expected) {
				expect(response.body.length).toBeLessThan(PAGE.length / 5);
				expect(response.headers['content-length']).toBeUndefined();
				// The bytes differ from the uncompressed page, so its strong ETag becomes weak.
				expect(response.headers.etag).toBe('W/"page-1"');
			} else expect(response.headers.etag).toBe('"page-1"');
		}
	});

	it('answers HEAD with the headers the GET would have, and no body', async () => {
		const response = await getRaw(`${base}/page`, { 'accept-encoding': 'br' }, 'HEAD');
		expect(response.headers['content-encoding']).toBe('br');
		expect(response.headers.vary).toBe('Accept-Encoding');
		expect(response.body.length).toBe(0);
	});

	it('leaves small bodies, images, no-transform, 304 answers and secret addresses alone', async () => {
		for (const path of [
			'/small',
			'/implicit-small',
			'/image',
			'/no-transform',
			'/not-modified',
			'/events/places/secret-token'
		]) {
			const response = await getRaw(`${base}${path}`, { 'accept-encoding': 'br, gzip' });
			expect(response.headers['content-encoding'], path).toBeUndefined();
			expect(response.headers.vary, path).toBeUndefined();
		}
		const small = await getRaw(`${base}/small`, { 'accept-encoding': 'br, gzip' });
		expect(small.body.toString()).toBe('small');
		expect(small.headers['content-length']).toBe('5');
	});

	it('never compresses a response that already has a Content-Encoding', async () => {
		const response = await getRaw(`${base}/precompressed`, { 'accept-encoding': 'br, gzip' });
		expect(response.headers['content-encoding']).toBe('gzip');
		expect(response.headers['content-length']).toBe(String(response.body.length));
		expect(decode('gzip', response.body)).toBe(PAGE);
	});

	it('compresses a text file sent with its length, dropping the length that no longer holds', async () => {
		const response = await getRaw(`${base}/plain-file`, { 'accept-encoding': 'gzip' });
		expect(response.headers['content-encoding']).toBe('gzip');
		expect(response.headers['content-length']).toBeUndefined();
		expect(response.headers['content-type']).toBe('text/calendar');
		expect(decode('gzip', response.body)).toBe(PAGE);
	});

	it('streams: the first part arrives, decoded, before the response ends', async () => {
		const decoded = await new Promise<string>((resolve, reject) => {
			const request = http.get(
				`${base}/stream`,
				{ headers: { 'accept-encoding': 'br' } },
				(res) => {
					expect(res.headers['content-encoding']).toBe('br');
					const stream = res.pipe(zlib.createBrotliDecompress());
					let text = '';
					stream.on('data', (chunk: Buffer) => {
						const first = text === '';
						text += chunk.toString();
						// Only once the first part is here does the server write the rest.
						if (first && text.includes('first part')) releaseSecondPart();
					});
					stream.on('end', () => resolve(text));
					stream.on('error', reject);
				}
			);
			request.on('error', reject);
		});
		expect(decoded).toBe('<p>first part</p>'.repeat(100) + '<p>second part</p>');
	});

	it('keeps every byte of a large body written with backpressure', async () => {
		const response = await getRaw(`${base}/large`, { 'accept-encoding': 'gzip' });
		const lines = decode('gzip', response.body).trimEnd().split('\n');
		expect(lines).toHaveLength(60_000);
		expect(lines[59_999]).toBe(`59999,person 59999,${(59_999 * 7919) % 1000}`);
	});
});
