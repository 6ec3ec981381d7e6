// Runs the build with its output kept in a log file instead of the terminal. Someone starting
// CoLab for the first time needs to know what is happening and where to go next, not Vite's
// "Run npm run preview…" hint (wrong for CoLab) or its plugin timings. When the build fails,
// everything it printed is shown, with where the log is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * @param {{
 *   command: string;
 *   args: string[];
 *   cwd: string;
 *   logFile: string;
 *   print?: (line: string) => void;
 *   printError?: (line: string) => void;
 * }} options
 * @returns {{ ok: boolean; status: number }}
 */
export function runQuietBuild({
	command,
	args,
	cwd,
	logFile,
	print = (line) => console.log(line),
	printError = (line) => console.error(line)
}) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const fd = fs.openSync(logFile, 'w');
	let result;
	try {
		// Straight into the file, so a build that hangs still leaves its output behind.
		result = spawnSync(command, args, { cwd, stdio: ['ignore', fd, fd] });
	} finally {
		fs.closeSync(fd);
	}
	const status = result.status ?? 1;
	if (status === 0 && !result.error) {
		print('CoLab is built.');
		return { ok: true, status: 0 };
	}
	const output = fs.readFileSync(logFile, 'utf8').trimEnd();
	printError('The build failed. This is what it printed:');
	printError('');
	if (output) printError(output);
	if (result.error) printError(String(result.error));
	printError('');
	printError(`(The same is kept in ${logFile}.)`);
	return { ok: false, status: status || 1 };
}
