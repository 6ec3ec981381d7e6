// Page weight: the compressed bytes of HTML, CSS and JavaScript a browser downloads for a page,
// as `npm run bench` reports them (its "Page weight" section). A page's scripts are the ones
// its HTML and its Link header name (modulepreload links, script tags, the inline `import("…")`
// that starts SvelteKit) and every module those import statically. SvelteKit names the page's
// own modules (its layout and page nodes, imported dynamically by the app) in the Link header;
// other dynamic imports are loaded only when used, so they are not counted. Each file is fetched with `Accept-Encoding: br, gzip` as a
// browser sends it, and counted as the bytes that cross the wire.
//
//   node bench/page-weight.js <url> [cookie]    one page, for a quick look
import http from 'node:http';

/** What a browser sends: the encodings every current browser accepts. */
export const BROWSER_ENCODINGS = 'br, gzip';

/**
 * One GET without decoding the body (fetch would decompress it and hide the size).
 * @param {string} url
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer }>}
 */
export function getRaw(url, headers = {}) {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers }, (response) => {
			/** @type {Buffer[]} */
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
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
		request.setTimeout(30_000, () => request.destroy(new Error(`${url} timed out`)));
	});
}

/**
 * The scripts and stylesheets an HTML page and its Link header name.
 * @param {string} html
 * @param {string} [link] the response's Link header
 */
export function assetsOf(html, link = '') {
	/** @type {Set<string>} */
	const scripts = new Set();
	/** @type {Set<string>} */
	const styles = new Set();
	for (const [, href = '', params = ''] of link.matchAll(/<([^>]+)>([^,]*)/g)) {
		if (/rel="?modulepreload"?/i.test(params)) scripts.add(href);
		else if (/rel="?preload"?/i.test(params) && /as="?style"?/i.test(params)) styles.add(href);
	}
	for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
		const href = /\shref="([^"]+)"/i.exec(tag)?.[1];
		if (!href) continue;
		if (/\srel="modulepreload"/i.test(tag)) scripts.add(href);
		else if (/\srel="stylesheet"/i.test(tag)) styles.add(href);
	}
	for (const [, src = ''] of html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/gi)) scripts.add(src);
	// SvelteKit starts the app from an inline script: import("/_app/immutable/entry/start….js").
	for (const [script] of html.matchAll(/<script\b[^>]*>[\s\S]*?<\/script>/gi))
		for (const [, src = ''] of script.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g))
			scripts.add(src);
	return { scripts: [...scripts], styles: [...styles] };
}

/**
 * Modules a script imports statically (`import … from "./x.js"`, `import "./x.js"`).
 * @param {string} source
 */
export function staticImportsOf(source) {
	return [...source.matchAll(/(?:\bfrom|\bimport)\s*["']([^"'()]+\.js)["']/g)].map(
		(m) => m[1] ?? ''
	);
}

/**
 * @typedef {{ html: number, css: number, js: number, htmlRaw: number, scripts: number, encoding: string }} PageWeight
 */

/**
 * The compressed weight of one page as a browser loads it.
 * @param {string} url the page
 * @param {Record<string, string>} [headers] e.g. a signed-in person's cookie
 * @returns {Promise<PageWeight>}
 */
export async function measurePageWeight(url, headers = {}) {
	const wire = { ...headers, 'accept-encoding': BROWSER_ENCODINGS };
	const page = await getRaw(url, wire);
	if (page.status !== 200) throw new Error(`${url} answered ${page.status}`);
	const plain = await getRaw(url, headers);
	const html = plain.body.toString('utf8');
	const { scripts, styles } = assetsOf(html, String(plain.headers.link ?? ''));

	let css = 0;
	for (const href of new Set(styles.map((s) => new URL(s, url).href)))
		css += (await asset(href, wire)).body.length;

	// Follow static imports: a browser loads the whole static graph before the page runs.
	let js = 0;
	const seen = new Set(scripts.map((src) => new URL(src, url).href));
	const queue = [...seen];
	while (queue.length) {
		const href = /** @type {string} */ (queue.shift());
		const compressed = await asset(href, wire);
		js += compressed.body.length;
		const source = (await asset(href, {})).body.toString('utf8');
		for (const spec of staticImportsOf(source)) {
			const next = new URL(spec, href).href;
			if (!seen.has(next)) {
				seen.add(next);
				queue.push(next);
			}
		}
	}
	return {
		html: page.body.length,
		css,
		js,
		htmlRaw: plain.body.length,
		scripts: seen.size,
		encoding: String(page.headers['content-encoding'] ?? 'identity')
	};
}

/**
 * @param {string} url
 * @param {Record<string, string>} headers
 */
async function asset(url, headers) {
	const response = await getRaw(url, headers);
	if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
	return response;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [url = '', cookie] = process.argv.slice(2);
	if (!url) {
		console.error('usage: node bench/page-weight.js <url> [cookie]');
		process.exit(2);
	}
	console.log(await measurePageWeight(url, cookie ? { cookie } : {}));
}
