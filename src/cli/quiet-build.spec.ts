import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runQuietBuild } from '../../scripts/quiet-build.js';

// What `npm start` and `npm run demo` print while they build: a newcomer sees one line saying
// what is happening, not the build tool's own chatter; a failed build shows all of it.
const NOISY_BUILD = [
	"console.log('')",
	"console.log('Run npm run preview to preview your production build locally.')",
	"console.log('> Using @sveltejs/adapter-node')",
	"console.error('[PLUGIN_TIMINGS] JavaScript callbacks ran for 10.4s. The build took 6.6s.')",
	"console.error('  - plugin vite-plugin-sveltekit-compile closeBundle (65%, 4.3s, 1 call)')"
].join(';');

describe('the start path’s build output', () => {
	let dir: string;
	let printed: string[];
	let errors: string[];
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-build-'));
		printed = [];
		errors = [];
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	const build = (script: string) =>
		runQuietBuild({
			command: process.execPath,
			args: ['-e', script],
			cwd: dir,
			logFile: path.join(dir, 'logs', 'build.log'),
			print: (line) => printed.push(line),
			printError: (line) => errors.push(line)
		});

	it('keeps a successful build’s chatter in the log, out of the terminal', () => {
		expect(build(NOISY_BUILD)).toEqual({ ok: true, status: 0 });
		const shown = [...printed, ...errors].join('\n');
		expect(shown).toBe('CoLab is built.');
		expect(shown).not.toMatch(/npm run preview|PLUGIN_TIMINGS|adapter-node/);
		const log = fs.readFileSync(path.join(dir, 'logs', 'build.log'), 'utf8');
		expect(log).toContain('Run npm run preview');
		expect(log).toContain('[PLUGIN_TIMINGS]');
	});

	it('shows everything a failed build printed, and where the log is', () => {
		const result = build(
			`${NOISY_BUILD};console.error('error: src/x.ts: Unexpected token');process.exit(2)`
		);
		expect(result).toEqual({ ok: false, status: 2 });
		expect(printed).toEqual([]);
		const shown = errors.join('\n');
		expect(shown).toContain('The build failed');
		expect(shown).toContain('error: src/x.ts: Unexpected token');
		expect(shown).toContain('[PLUGIN_TIMINGS]');
		expect(shown).toContain(path.join(dir, 'logs', 'build.log'));
	});
});
