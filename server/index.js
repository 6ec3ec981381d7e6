// The production server: a small node:http server in front of SvelteKit's handler.
// Anonymous GET requests are answered from the page cache (see src/lib/server/cache) without
// entering SvelteKit; everything else goes to the app. Started by scripts/start.js.
import http from 'node:http';

/**
 * Starts CoLab's HTTP server and resolves once it listens.
 * @param {{ port: number, host: string }} options
 * @returns {Promise<{ server: import('node:http').Server, close: () => Promise<void> }>}
 */
export async function startServer({ port, host }) {
	// Without ORIGIN, adapter-node builds each request's origin from its Host header and assumes
	// https, which breaks every form post on a plain-http laptop. Tell it the real protocol in a
	// header of our own, set here on every request (whatever a client sent). Behind a proxy,
	// TRUSTED_PROXIES makes it read X-Forwarded-Proto instead (see scripts/start.js).
	const ownProtocolHeader = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (ownProtocolHeader) process.env.PROTOCOL_HEADER = 'x-colab-protocol';

	// Importing the handler runs SvelteKit's init hook: database, migrations, workers.
	// A computed path keeps the type checker out of the generated bundle.
	const handlerModule = '../build/handler.js';
	/** @type {{ handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void }} */
	const { handler } = await import(handlerModule);
	/** @type {{ serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): boolean, setKeyByHost(on: boolean): void } | undefined} */
	const cache = /** @type {any} */ (globalThis)[Symbol.for('colab.pageCache')];
	// Without ORIGIN, SvelteKit takes the origin from each request's Host header, so a page
	// rendered for one Host must not be served to another: cache by Host as well as path.
	if (cache && !process.env.ORIGIN) cache.setKeyByHost(true);
	// Present only with METRICS=on (src/lib/server/metrics): answers /metrics itself, so a
	// scrape is never cached, never logged as a request, and judged by the socket's address.
	/** @type {{ serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): boolean } | undefined} */
	const metrics = /** @type {any} */ (globalThis)[Symbol.for('colab.metrics')];
	// Compresses what SvelteKit renders per request (src/lib/server/http/compression.ts); the
	// page cache sends its own compressed copies and static files come precompressed.
	/** @type {{ compressResponse(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void } | undefined} */
	const compression = /** @type {any} */ (globalThis)[Symbol.for('colab.compression')];
	if (!compression) throw new Error('The build has no compression module; run npm run build.');

	const server = http.createServer((req, res) => {
		if (ownProtocolHeader) req.headers['x-colab-protocol'] = 'http';
		if (metrics && metrics.serve(req, res)) return;
		if (cache && cache.serve(req, res)) return;
		compression.compressResponse(req, res);
		handler(req, res);
	});
	server.keepAliveTimeout = 65_000;
	server.headersTimeout = 66_000;
	server.requestTimeout = 60_000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});

	let closing;
	function close() {
		closing ??= new Promise((resolve) => {
			server.close(() => resolve(undefined));
			server.closeIdleConnections();
		}).then(() => {
			// SvelteKit's adapter convention: the app's init hook listens for this to stop workers.
			/** @type {(event: string, reason: string) => boolean} */ (process.emit)(
				'sveltekit:shutdown',
				'close'
			);
		});
		return closing;
	}
	return { server, close };
}
