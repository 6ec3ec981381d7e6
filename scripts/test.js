// `npm test`: the unit and integration specs (Vitest, on SQLite and PostgreSQL), then the
// journeys (Playwright in Chromium). Prints one closing line with the totals.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChromium } from './ensure-chromium.js';

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-test-'));
/** @param {string} name */
const bin = (name) => path.join('node_modules', '.bin', name);

/** @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} [env] */
function run(command, args, env = process.env) {
	return spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
}

/** @param {string} file */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

const vitestReport = path.join(reports, 'vitest.json');
const unit = run(bin('vitest'), [
	'run',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${vitestReport}`
]);

ensureChromium();
const playwrightReport = path.join(reports, 'playwright.json');
const e2e = run(bin('playwright'), ['test', '--reporter=list,json'], {
	...process.env,
	PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport
});

let passed = 0;
let failed = 0;
let skipped = 0;
/** The names of what failed, printed last so the end of a CI log says which. */
const failures = [];
const v = readJson(vitestReport);
if (v) {
	passed += v.numPassedTests;
	failed += v.numFailedTests;
	skipped += v.numPendingTests + v.numTodoTests;
	for (const file of v.testResults ?? []) {
		for (const test of file.assertionResults ?? []) {
			if (test.status === 'failed') {
				failures.push(`vitest ${path.relative(process.cwd(), file.name)} › ${test.fullName}`);
			}
		}
	}
}
const p = readJson(playwrightReport);
if (p?.stats) {
	passed += p.stats.expected;
	failed += p.stats.unexpected + p.stats.flaky;
	skipped += p.stats.skipped;
	/** @param {any} suite @param {string[]} titles */
	const walk = (suite, titles) => {
		const here = suite.title ? [...titles, suite.title] : titles;
		for (const spec of suite.specs ?? []) {
			for (const test of spec.tests ?? []) {
				if (test.status === 'unexpected' || test.status === 'flaky') {
					failures.push(`journey ${[...here, spec.title].join(' › ')} (${test.status})`);
				}
			}
		}
		for (const child of suite.suites ?? []) walk(child, here);
	};
	for (const suite of p.suites ?? []) walk(suite, []);
}
if (unit !== 0 && !v) failed += 1;
if (e2e !== 0 && !p) failed += 1;
fs.rmSync(reports, { recursive: true, force: true });

for (const name of failures) console.log(`failed: ${name}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(unit !== 0 || e2e !== 0 || passed === 0 ? 1 : 0);
