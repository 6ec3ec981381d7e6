// Requests that keep a response's body as it came over the wire: `fetch` would decompress it
// and hide what was sent. For specs and journeys about compression and caching.
import http from 'node:http';
import zlib from 'node:zlib';

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** One request with exactly these headers (no body), the body kept as bytes. */
export function requestRaw(
	url: string,
	headers: Record<string, string> = {},
	method = 'GET'
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, { headers, method }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks)
				})
			);
			response.on('error', reject);
		});
		request.on('error', reject);
		request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${url} timed out`)));
		request.end();
	});
}

/** The text of a body sent with this Content-Encoding (br, gzip or none). */
export function decodeBody(encoding: string | undefined, body: Buffer): string {
	if (encoding === 'br') return zlib.brotliDecompressSync(body).toString();
	if (encoding === 'gzip') return zlib.gunzipSync(body).toString();
	if (encoding && encoding !== 'identity') throw new Error(`Unknown Content-Encoding ${encoding}`);
	return body.toString();
}
