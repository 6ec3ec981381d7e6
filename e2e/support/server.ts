import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface RunningServer {
	url: string;
	dataDir: string;
	env: NodeJS.ProcessEnv;
	/** Everything the server printed so far (the setup code is printed here). */
	output(): string;
	/** Runs `npm run colab -- …` against this server's database and settings. */
	cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
	stop(): Promise<void>;
}

/**
 * Starts the built app, as `npm start` does (or `npm run demo`, with args ['--demo']), on a
 * free port with its own data folder.
 */
export async function startColab(
	extraEnv: NodeJS.ProcessEnv = {},
	args: string[] = []
): Promise<RunningServer> {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-e2e-'));
	const url = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		DATA_DIR: dataDir,
		LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'warn',
		...extraEnv
	};
	const child: ChildProcess = spawn(process.execPath, ['scripts/start.js', ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`CoLab exited early:\n${output}`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`CoLab did not start within 60 s:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}

	return {
		url,
		dataDir,
		env,
		output: () => output,
		cli(args, input) {
			return new Promise((resolve) => {
				const cli = spawn(
					process.execPath,
					['node_modules/tsx/dist/cli.mjs', 'src/cli/index.ts', ...args],
					{ env, stdio: ['pipe', 'pipe', 'pipe'] }
				);
				let stdout = '';
				let stderr = '';
				cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
				cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
				cli.stdin.end(input ?? '');
				cli.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
			});
		},
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
