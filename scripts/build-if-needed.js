// Builds the app when there is no build or the source is newer than it. Used by `npm start`,
// the journeys and the benchmark, so each runs what the source says.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

export function buildIfNeeded() {
	const builtAt = newest('build/handler.js');
	const sourceAt = Math.max(
		...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map(newest)
	);
	if (builtAt !== 0 && builtAt >= sourceAt) return;
	console.log(builtAt === 0 ? 'Building CoLab (first start)…' : 'Source changed: rebuilding…');
	const result = spawnSync(
		process.execPath,
		[path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
		{ cwd: root, stdio: 'inherit' }
	);
	if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	buildIfNeeded();
}
