// Journeys drive Debian's Chromium. Install it when missing and we can (root with apt-get);
// otherwise stop with a message that says how.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function ensureChromium() {
	if (fs.existsSync(chromium)) return;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	const aptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
	if (!root || !aptGet) {
		console.error(
			`Chromium is not installed at ${chromium}, and this script cannot install it.\n` +
				'Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
				'or point CHROMIUM_PATH at a Chromium or Chrome binary.'
		);
		process.exit(1);
	}
	console.log('Chromium is missing: installing Debian’s chromium package (about a minute)…');
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', 'chromium']
	]) {
		const result = spawnSync('apt-get', args, {
			stdio: 'inherit',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
		});
		if (result.status !== 0) {
			console.error(`apt-get ${args.join(' ')} failed; install chromium by hand and run again.`);
			process.exit(1);
		}
	}
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) ensureChromium();
