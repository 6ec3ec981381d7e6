import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import {
	bodySizeLimit,
	cleanAddress,
	cleanFormData,
	cleanJson,
	describeBodyFailure,
	describeBytes,
	formSizeLimit,
	guardBody,
	removeControlCharacters
} from './body-guard';

const LIMIT = 512 * 1024;

function post(body: BodyInit | null, contentType: string | null): Request {
	const headers = new Headers();
	if (contentType) headers.set('content-type', contentType);
	return new Request('http://colab.test/events/new', { method: 'POST', headers, body });
}

/** The error a guarded reader throws, as SvelteKit sees it. */
async function refusal(reading: Promise<unknown>): Promise<{ status: number; body: App.Error }> {
	const failure: unknown = await reading.then(
		() => undefined,
		(thrown: unknown) => thrown
	);
	if (!isHttpError(failure)) throw new Error(`expected an HttpError, got ${String(failure)}`);
	return { status: failure.status, body: failure.body };
}

describe('removeControlCharacters', () => {
	it('removes NUL and the other C0 controls but keeps tab, line feed and carriage return', () => {
		const every = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
		expect(removeControlCharacters(`a${every}b`)).toBe('a\t\n\rb');
		expect(removeControlCharacters('a\u0000b')).toBe('ab');
	});

	it('leaves other text alone, including DEL and characters beyond ASCII', () => {
		const text = 'Café «topic» — 日本 \u007f \u0085 😀';
		expect(removeControlCharacters(text)).toBe(text);
	});
});

describe('cleanFormData', () => {
	it('cleans names, values and file names, and keeps repeated fields in order', async () => {
		const form = new FormData();
		form.append('reason', 'a\u0000b');
		form.append('nee\u0001ds', 'x');
		form.append('needs', 'y\u001f');
		form.append('picture', new File(['bytes'], 'ph\u0000oto.png', { type: 'image/png' }));
		const clean = cleanFormData(form);
		expect(clean.get('reason')).toBe('ab');
		expect(clean.getAll('needs')).toEqual(['x', 'y']);
		const file = clean.get('picture') as File;
		expect(file.name).toBe('photo.png');
		expect(file.type).toBe('image/png');
		expect(await file.text()).toBe('bytes');
	});
});

describe('cleanJson', () => {
	it('cleans every string, key and nested value, and leaves other values alone', () => {
		expect(cleanJson({ 'k\u0000': ['a\u0000', 1, true, null, { x: 'b\u0002' }] })).toEqual({
			k: ['a', 1, true, null, { x: 'b' }]
		});
	});
});

describe('guardBody', () => {
	it('hands actions the form with control characters removed', async () => {
		const request = post(
			'reason=a%00b&title=Caf%C3%A9%0D%0Atalk',
			'application/x-www-form-urlencoded'
		);
		guardBody(request, LIMIT);
		const form = await request.formData();
		expect(form.get('reason')).toBe('ab');
		expect(form.get('title')).toBe('Café\r\ntalk');
	});

	it('cleans multipart fields too', async () => {
		const form = new FormData();
		form.append('topic', 'x\u0000y');
		const request = new Request('http://colab.test/', { method: 'POST', body: form });
		guardBody(request, LIMIT);
		expect((await request.formData()).get('topic')).toBe('xy');
	});

	it.each([
		['text/plain', 'text/plain', 'email=a@b.c'],
		['no content type', null, 'email=a@b.c'],
		['JSON', 'application/json', '{"email":"a@b.c"}'],
		['multipart with no boundary', 'multipart/form-data', '--x\r\n'],
		[
			'multipart with no closing boundary',
			'multipart/form-data; boundary=x',
			'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c'
		]
	])('answers 400 with a plain message for %s', async (_, type, body) => {
		const request = post(body, type);
		guardBody(request, LIMIT);
		const { status, body: shown } = await refusal(request.formData());
		expect(status).toBe(400);
		expect(shown.message).toBe('We could not read the form you sent.');
		expect(shown.advice).toMatch(/fill it in again/);
	});

	it('answers 413 naming the limit when the body stream fails as too large', async () => {
		// adapter-node fails the stream with SvelteKit's own 413 error when the body is too big.
		const tooLarge = Object.assign(new Error('Payload Too Large'), { status: 413 });
		const stream = new ReadableStream({ start: (controller) => controller.error(tooLarge) });
		const request = new Request('http://colab.test/', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		guardBody(request, LIMIT);
		const { status, body } = await refusal(request.formData());
		expect(status).toBe(413);
		expect(body.message).toBe('What you sent was too large. The most we accept at once is 512 KB.');
		expect(body.advice).toMatch(/shorten the text, or send it in parts/);
	});

	it('holds forms to the form limit when the server takes larger bodies (a video upload)', async () => {
		const big = 'note=' + 'x'.repeat(2000);
		// Content-Length says so: refused before reading.
		const declared = post(big, 'application/x-www-form-urlencoded');
		declared.headers.set('content-length', String(big.length));
		guardBody(declared, 1000, 10_000);
		const refused = await refusal(declared.formData());
		expect(refused.status).toBe(413);
		expect(refused.body.message).toBe(
			'What you sent was too large. The most we accept at once is 1000 bytes.'
		);
		// No Content-Length (sent in chunks): counted as it arrives.
		const chunks = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 4; i++)
					controller.enqueue(new TextEncoder().encode(big.slice(i * 500, (i + 1) * 500)));
				controller.close();
			}
		});
		const chunked = new Request('http://colab.test/', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: chunks,
			duplex: 'half'
		} as RequestInit);
		guardBody(chunked, 1000, 10_000);
		expect((await refusal(chunked.formData())).status).toBe(413);
		// Within the limit, in chunks: read as usual, and cleaned.
		const small = new Request('http://colab.test/', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new ReadableStream({
				start(controller) {
					controller.enqueue(new TextEncoder().encode('note=a%00'));
					controller.enqueue(new TextEncoder().encode('b'));
					controller.close();
				}
			}),
			duplex: 'half'
		} as RequestInit);
		guardBody(small, 1000, 10_000);
		expect((await small.formData()).get('note')).toBe('ab');
	});

	it('cleans text and JSON readers and refuses JSON it cannot parse', async () => {
		const text = post('a\u0000b', 'text/plain');
		guardBody(text, LIMIT);
		expect(await text.text()).toBe('ab');
		const json = post('{"a":"b\\u0000c"}', 'application/json');
		guardBody(json, LIMIT);
		expect(await json.json()).toEqual({ a: 'bc' });
		const broken = post('{"a":', 'application/json');
		guardBody(broken, LIMIT);
		expect((await refusal(broken.json())).status).toBe(400);
	});
});

describe('describeBodyFailure', () => {
	it('reads a 413 on the error or on its cause, and anything else as unreadable', () => {
		const tooLarge = { status: 413 };
		expect(describeBodyFailure(tooLarge, 1024).status).toBe(413);
		expect(describeBodyFailure(new TypeError('x', { cause: tooLarge }), 1024).status).toBe(413);
		expect(describeBodyFailure(new TypeError('Failed to parse body as FormData.'), 1).status).toBe(
			400
		);
		expect(describeBodyFailure(new DOMException('aborted', 'AbortError'), 1).status).toBe(400);
	});
});

describe('cleanAddress', () => {
	it('removes control characters from route parameters and query values', () => {
		const url = new URL('http://colab.test/events/%00?format=%00talk&q=caf%C3%A9%01&page=2');
		const params: Record<string, string> = { id: '\u0000' };
		cleanAddress(url, params);
		expect(params.id).toBe('');
		expect(url.searchParams.get('format')).toBe('talk');
		expect(url.searchParams.get('q')).toBe('café');
		expect(url.searchParams.get('page')).toBe('2');
	});
});

describe('formSizeLimit', () => {
	it('is FORM_SIZE_LIMIT when set, never more than the whole-body limit', () => {
		expect(formSizeLimit({ BODY_SIZE_LIMIT: '200M' })).toBe(200 * 1024 ** 2);
		expect(formSizeLimit({ BODY_SIZE_LIMIT: '200M', FORM_SIZE_LIMIT: '6M' })).toBe(6 * 1024 ** 2);
		expect(formSizeLimit({ BODY_SIZE_LIMIT: '1M', FORM_SIZE_LIMIT: '6M' })).toBe(1024 ** 2);
	});
});

describe('bodySizeLimit and describeBytes', () => {
	it('read BODY_SIZE_LIMIT as adapter-node does and say it in words', () => {
		expect(bodySizeLimit({})).toBe(512 * 1024);
		expect(bodySizeLimit({ BODY_SIZE_LIMIT: '2M' })).toBe(2 * 1024 * 1024);
		expect(bodySizeLimit({ BODY_SIZE_LIMIT: '1000' })).toBe(1000);
		expect(bodySizeLimit({ BODY_SIZE_LIMIT: 'Infinity' })).toBe(Infinity);
		expect(describeBytes(512 * 1024)).toBe('512 KB');
		expect(describeBytes(2 * 1024 * 1024)).toBe('2 MB');
		expect(describeBytes(1000)).toBe('1000 bytes');
		expect(describeBytes(Infinity)).toBe('any size');
	});
});
