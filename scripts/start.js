// `npm start` and `npm run demo`: build when needed, apply migrations, seed the demo if asked,
// then serve. Every setting comes from the environment (see README, "Settings").
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { buildIfNeeded } from './build-if-needed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Memory: under load V8 lets the old heap grow to about four times what is live before it
// collects (the live heap is ~30 MB; the server reached ~250 MB RSS in `npm run bench`). A
// growth factor of 1.5 keeps peak RSS near 150 MB at the same req/s (the collector uses a few
// per cent more CPU), with no hard limit: unlike --max-old-space-size, nothing fails when a
// large export needs more. V8 reads this flag at every full collection, so setting it here,
// before the app loads, takes effect. Node refuses it in NODE_OPTIONS; to choose another
// factor, start with `node --heap-growing-percent=N scripts/start.js`. See docs/performance.md.
if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
	v8.setFlagsFromString('--heap-growing-percent=50');
}
const demo = process.argv.includes('--demo');
// An empty ORIGIN (`ORIGIN=` in a service file) means "not set", which adapter-node would reject.
if (process.env.ORIGIN === '') delete process.env.ORIGIN;
// Pictures and videos arrive in form posts. Unless set, BODY_SIZE_LIMIT (what the server reads
// at all) is the largest file taken (the larger of UPLOAD_MAX_BYTES, 5M unless set, and
// VIDEO_MAX_BYTES, 200M unless set) and 1 MB of text beside it; FORM_SIZE_LIMIT (what any other
// form may send, read into memory whole) is the largest picture and 1 MB of text. Only the video
// form, which streams its file to disk, takes more. adapter-node reads BODY_SIZE_LIMIT when the
// server loads, below.
/** @param {string | undefined} value @param {number} fallback */
const bytes = (value, fallback) => {
	const match = /^(\d+)([KMG]?)$/i.exec((value || '').trim());
	if (!match) return fallback;
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match[2] ?? '').toUpperCase()] ?? 1;
	return Number(match[1]) * unit;
};
const pictureBytes = bytes(process.env.UPLOAD_MAX_BYTES, 5 * 1024 ** 2);
if (!process.env.BODY_SIZE_LIMIT) {
	const upload = Math.max(pictureBytes, bytes(process.env.VIDEO_MAX_BYTES, 200 * 1024 ** 2));
	process.env.BODY_SIZE_LIMIT = String(upload + 1024 ** 2);
}
if (!process.env.FORM_SIZE_LIMIT) process.env.FORM_SIZE_LIMIT = String(pictureBytes + 1024 ** 2);

/**
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args, env = process.env) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

buildIfNeeded();

if (demo) {
	// Seeding runs the same CLI as `npm run colab`, so it uses the same settings.
	run(process.execPath, [
		path.join(root, 'node_modules/tsx/dist/cli.mjs'),
		'src/cli/index.ts',
		'demo:seed'
	]);
}

// adapter-node reads these names; TRUSTED_PROXIES is CoLab's friendlier spelling.
const proxies = Number(process.env.TRUSTED_PROXIES || 0);
if (proxies > 0) {
	process.env.ADDRESS_HEADER ??= 'x-forwarded-for';
	process.env.XFF_DEPTH ??= String(proxies);
	// Only used when ORIGIN is not set: the proxy says whether the browser used https.
	if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
}
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
// Without ORIGIN, SvelteKit takes the address from each request's Host header, so both
// http://localhost:3000 and http://127.0.0.1:3000 work on a laptop (its form-post origin check
// compares against it). Behind a proxy, set ORIGIN to the public address.
const shown =
	process.env.ORIGIN ||
	`http://${['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host) ? 'localhost' : host}:${port}`;

const { startServer } = await import('../server/index.js');
const { close } = await startServer({ port, host });
console.log(
	`\nCoLab is running. Open ${shown} in your browser.\n` +
		`(Listening on ${host}:${port}. Press Ctrl+C to stop it.)\n`
);

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		console.log(`${signal}: shutting down…`);
		const force = setTimeout(() => process.exit(1), 10_000);
		force.unref();
		void close().then(() => setTimeout(() => process.exit(0), 200));
	});
}
