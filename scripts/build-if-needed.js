// Builds the app when there is no build or the source is newer than it. Used by `npm start`,
// the journeys and the benchmark, so each runs what the source says.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runQuietBuild } from './quiet-build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Newest modification time under `entry` (a file or folder), in ms; 0 when missing.
 * @param {string} entry
 * @returns {number}
 */
function newest(entry) {
	const full = path.join(root, entry);
	if (!fs.existsSync(full)) return 0;
	const stat = fs.statSync(full);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = stat.mtimeMs;
	for (const child of fs.readdirSync(full))
		latest = Math.max(latest, newest(path.join(entry, child)));
	return latest;
}

function isStale() {
	const builtAt = newest('build/handler.js');
	const sourceAt = Math.max(
		...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map(newest)
	);
	return { stale: builtAt === 0 || sourceAt > builtAt, first: builtAt === 0 };
}

/** Everything the last build printed (only shown in the terminal when it fails). */
export const BUILD_LOG = path.join(root, '.svelte-kit', 'colab-build.log');

/** @param {number} ms */
function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Two builds in one folder at once (a journey run and `npm start`, say) would overwrite each
 * other's output, so a build holds a lock folder; a lock older than five minutes is abandoned.
 */
function withBuildLock(/** @type {() => void} */ work) {
	const lock = path.join(root, '.svelte-kit', 'colab-build.lock');
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			break;
		} catch {
			const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
			if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
			else sleep(500);
		}
	}
	try {
		work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

export function buildIfNeeded() {
	if (!isStale().stale) return;
	withBuildLock(() => {
		// Someone else may have built it while we waited for the lock.
		const { stale, first } = isStale();
		if (!stale) return;
		console.log(
			first
				? 'Preparing CoLab (the first start takes about a minute)…'
				: 'The code has changed, so CoLab is being prepared again (about a minute)…'
		);
		const result = runQuietBuild({
			command: process.execPath,
			args: [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
			cwd: root,
			logFile: BUILD_LOG
		});
		if (!result.ok) process.exitCode = result.status;
	});
	if (process.exitCode) process.exit(process.exitCode);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	buildIfNeeded();
}
