import { error, type Handle } from '@sveltejs/kit';

/**
 * The body guard: one place where every request's body and address are made safe to use, so no
 * form action (today's or a new one) answers 500 because of what a client sent.
 *
 * - A body that cannot be read as a form (text/plain, multipart with no boundary or no closing
 *   boundary, a connection dropped halfway) becomes a 400 with a plain message; a body over the
 *   size limit becomes a 413 saying what the limit is. Actions call `request.formData()` as
 *   usual; the guard wraps it. An action that never reads its body never sees the problem.
 * - Control characters (C0, except tab, line feed and carriage return) are removed from
 *   every form field, route parameter and query value on the way in. PostgreSQL refuses a NUL in
 *   text ("invalid byte sequence for encoding UTF8: 0x00") while SQLite stores it, so without
 *   this the two engines would disagree; no one types these characters on purpose.
 */

/** What the guard removes: C0 control characters except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
// The same characters as they appear percent-encoded in a URL (%00–%1F except %09, %0A, %0D).
const ENCODED_CONTROL = /%(?:0[0-8bce]|1[0-9a-f])/i;

/** The text without control characters other than tab, line feed and carriage return. */
export function removeControlCharacters(text: string): string {
	return CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, '') : text;
}

/** A copy of the form with control characters removed from every name, value and file name. */
export function cleanFormData(form: FormData): FormData {
	const clean = new FormData();
	for (const [name, value] of form) {
		if (typeof value === 'string') {
			clean.append(removeControlCharacters(name), removeControlCharacters(value));
		} else {
			const fileName = removeControlCharacters(value.name);
			clean.append(
				removeControlCharacters(name),
				fileName === value.name ? value : new File([value], fileName, { type: value.type })
			);
		}
	}
	return clean;
}

/** JSON with control characters removed from every string in it (keys too). */
export function cleanJson(value: unknown): unknown {
	if (typeof value === 'string') return removeControlCharacters(value);
	if (Array.isArray(value)) return value.map(cleanJson);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => [removeControlCharacters(key), cleanJson(inner)])
		);
	}
	return value;
}

/**
 * The largest body the server reads, as adapter-node reads BODY_SIZE_LIMIT (512K unless set;
 * K, M and G suffixes; Infinity for none). Shown beside file fields and in the 413 message.
 */
export function bodySizeLimit(env: Record<string, string | undefined> = process.env): number {
	const value = env.BODY_SIZE_LIMIT || '512K';
	const multiplier =
		({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[
			value.at(-1)?.toUpperCase() ?? ''
		] ?? 1;
	const parsed = Number(multiplier === 1 ? value : value.slice(0, -1)) * multiplier;
	return Number.isNaN(parsed) ? 512 * 1024 : parsed;
}

/**
 * The largest form, JSON or text body an action may read: FORM_SIZE_LIMIT (same syntax), or the
 * whole-body limit when unset. `npm start` sets it to the largest picture plus 1 MB of text, so
 * the one route that streams a large video upload (and reads `request.body` itself) can take
 * more than any other form, which would otherwise be held in memory whole.
 */
export function formSizeLimit(env: Record<string, string | undefined> = process.env): number {
	const whole = bodySizeLimit(env);
	if (!env.FORM_SIZE_LIMIT) return whole;
	return Math.min(whole, bodySizeLimit({ BODY_SIZE_LIMIT: env.FORM_SIZE_LIMIT }));
}

/** A copy of the body that fails with a 413 once more than `limit` bytes have come. */
function limitedBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
	let seen = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) controller.error(Object.assign(new Error('too large'), { status: 413 }));
				else controller.enqueue(chunk);
			}
		})
	);
}

/** A size in words people know: "512 KB", "2 MB". */
export function describeBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return 'any size';
	if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
	if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
	return `${bytes} bytes`;
}

/** Why a body could not be used, as the error page shows it: what went wrong, what to do. */
export interface BodyProblem {
	status: 400 | 413;
	message: string;
	advice: string;
}

export function unreadableBody(): BodyProblem {
	return {
		status: 400,
		message: 'We could not read the form you sent.',
		advice:
			'Go back to the form, fill it in again and send it. If it happens again, try another browser.'
	};
}

export function bodyTooLarge(limit: number): BodyProblem {
	return {
		status: 413,
		message: `What you sent was too large. The most we accept at once is ${describeBytes(limit)}.`,
		advice: 'Go back to the form and shorten the text, or send it in parts.'
	};
}

function statusOf(value: unknown): number | undefined {
	const status = (value as { status?: unknown } | null)?.status;
	return typeof status === 'number' ? status : undefined;
}

/**
 * What a failed body read means for the person who sent it. adapter-node fails the body's
 * stream with a 413 when it runs over BODY_SIZE_LIMIT (at once when Content-Length says so,
 * otherwise when the bytes pass it); undici wraps that error (or throws its own TypeError for a
 * body that is not a form) — anything else is a body we could not read.
 */
export function describeBodyFailure(failure: unknown, limit: number): BodyProblem {
	const cause = (failure as { cause?: unknown } | null)?.cause;
	if (statusOf(failure) === 413 || statusOf(cause) === 413) return bodyTooLarge(limit);
	return unreadableBody();
}

function refuse(problem: BodyProblem): never {
	error(problem.status, { message: problem.message, advice: problem.advice });
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Replaces the request's body readers with ones that refuse clearly and clean what they read.
 * Each reader can be called once, as on a plain Request.
 */
export function guardBody(request: Request, limit: number, wholeLimit = limit): void {
	// Under a form limit below the server's own, a body is counted as it arrives: at once from
	// Content-Length, otherwise byte by byte, so no action holds more than the limit in memory.
	const own = {
		formData: request.formData.bind(request),
		text: request.text.bind(request),
		json: request.json.bind(request)
	};
	const within = (): Pick<Request, 'formData' | 'text' | 'json'> => {
		if (limit >= wholeLimit || !request.body) return own;
		const declared = Number(request.headers.get('content-length') ?? NaN);
		if (declared > limit) refuse(bodyTooLarge(limit));
		if (Number.isFinite(declared)) return own;
		return new Response(limitedBody(request.body, limit), { headers: request.headers });
	};
	const formData = () => within().formData();
	const text = () => within().text();
	const json = () => within().json();
	const read = async <T>(reader: () => Promise<T>): Promise<T> => {
		try {
			return await reader();
		} catch (failure) {
			refuse(describeBodyFailure(failure, limit));
		}
	};
	Object.defineProperties(request, {
		formData: {
			value: async () => {
				// undici would throw a TypeError for these; say why in the same words as other failures.
				const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim();
				if (!FORM_TYPES.includes(type.toLowerCase())) refuse(unreadableBody());
				return cleanFormData(await read(formData));
			}
		},
		text: { value: async () => removeControlCharacters(await read(text)) },
		json: { value: async () => cleanJson(await read(json)) }
	});
}

/** Removes control characters from route parameters and query values, in place. */
export function cleanAddress(url: URL, params: Partial<Record<string, string>>): void {
	for (const [name, value] of Object.entries(params)) {
		if (value !== undefined) params[name] = removeControlCharacters(value);
	}
	if (ENCODED_CONTROL.test(url.search)) {
		const clean = new URLSearchParams();
		for (const [name, value] of url.searchParams) {
			clean.append(removeControlCharacters(name), removeControlCharacters(value));
		}
		url.search = clean.toString();
	}
}

/** The body guard as a handle: see the top of this file. */
export function bodyGuardHandle(limit = formSizeLimit(), wholeLimit = bodySizeLimit()): Handle {
	return ({ event, resolve }) => {
		// Percent-encoded controls are the only way one reaches a URL; most requests skip the work.
		if (ENCODED_CONTROL.test(event.url.pathname) || ENCODED_CONTROL.test(event.url.search)) {
			cleanAddress(event.url, event.params);
		}
		if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
			guardBody(event.request, limit, wholeLimit);
		}
		return resolve(event);
	};
}
