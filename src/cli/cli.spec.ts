import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOptions, type Command } from './command';
import { commands } from './commands/index';
import { runCliForSpec } from './cli.testing';

/** A literal string as a regular expression. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A command that shows what the framework hands it. */
const echo: Command = {
	name: 'spec:echo',
	summary: 'Prints its options',
	usage: 'spec:echo --to NAME [--loud] [--stdin]',
	database: 'as-is',
	async run(args, ctx) {
		const options = parseOptions(
			args,
			{ to: { type: 'string' }, loud: { type: 'boolean' }, stdin: { type: 'boolean' } },
			['to']
		);
		const text = `${options.loud ? 'HELLO' : 'hello'} ${options.to} from ${ctx.config.siteName}`;
		ctx.stdout.write(`${text}${options.stdin ? ` [${await ctx.stdin()}]` : ''}\n`);
		return 0;
	}
};
const migrated: Command = {
	name: 'spec:count',
	summary: 'Counts outbox rows',
	usage: 'spec:count',
	async run(_args, ctx) {
		const rows = await ctx.database.db.selectFrom('mail_outbox').select('id').execute();
		ctx.stdout.write(`${rows.length} mails\n`);
	}
};
const broken: Command = {
	name: 'spec:broken',
	summary: 'Fails',
	usage: 'spec:broken',
	database: 'as-is',
	async run() {
		throw new Error('the disk is on fire');
	}
};
const list = [echo, migrated, broken];

describe('cli', () => {
	let dataDir: string;
	let env: NodeJS.ProcessEnv;
	beforeEach(() => {
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-cli-'));
		env = { DATA_DIR: dataDir, SITE_NAME: 'Spec Town' };
	});
	afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	it('lists every command with its summary', async () => {
		const run = await runCliForSpec(['help'], env);
		expect(run.code).toBe(0);
		for (const command of commands) {
			expect(run.stdout).toMatch(
				new RegExp(`^  ${escape(command.name)} +${escape(command.summary)}$`, 'm')
			);
		}
		expect(commands.map((c) => c.name)).toEqual(
			expect.arrayContaining(['migrate', 'backup', 'mail:test'])
		);
		expect((await runCliForSpec([], env)).stdout).toBe(run.stdout);
	});

	it('gives one command’s usage with help <command> or --help', async () => {
		const help = await runCliForSpec(['help', 'backup'], env);
		expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('backup --to FILE') });
		expect((await runCliForSpec(['backup', '--help'], env)).stdout).toBe(help.stdout);
	});

	it('refuses an unknown command with exit code 2 and the list', async () => {
		const run = await runCliForSpec(['bakup', '--to', 'x'], env);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^Unknown command "bakup"\./);
		expect(run.stderr).toContain('mail:test');
		expect((await runCliForSpec(['help', 'bakup'], env)).code).toBe(2);
	});

	it('passes settings, arguments and stdin to the command', async () => {
		const run = await runCliForSpec(['spec:echo', '--to', 'Sam', '--loud', '--stdin'], env, {
			commands: list,
			stdin: 'piped'
		});
		expect(run).toEqual({ code: 0, stdout: 'HELLO Sam from Spec Town [piped]\n', stderr: '' });
	});

	it('answers bad arguments with the reason, the usage and exit code 2', async () => {
		const cases: Array<[string[], RegExp]> = [
			[['spec:echo'], /^--to is required\./],
			[['spec:echo', '--to'], /^Option '--to <value>' argument missing\./],
			[['spec:echo', '--to', 'Sam', '--colour'], /^Unknown option '--colour'\./],
			[['spec:echo', '--to', 'Sam', 'extra'], /^Unexpected argument 'extra'\./]
		];
		for (const [argv, message] of cases) {
			const run = await runCliForSpec(argv, env, { commands: list });
			expect(run.code, argv.join(' ')).toBe(2);
			expect(run.stderr).toMatch(message);
			expect(run.stderr).toContain('Usage: npm run colab -- spec:echo --to NAME');
		}
	});

	it('opens no database for a command that does not use one', async () => {
		await runCliForSpec(['spec:echo', '--to', 'Sam'], env, { commands: list });
		expect(fs.readdirSync(dataDir)).toEqual([]);
	});

	it('migrates the database before a command that uses it', async () => {
		const run = await runCliForSpec(['spec:count'], env, { commands: list });
		expect(run).toEqual({ code: 0, stdout: '0 mails\n', stderr: '' });
		expect(fs.existsSync(path.join(dataDir, 'colab.sqlite'))).toBe(true);
	});

	it('reports a failing command with exit code 1', async () => {
		const run = await runCliForSpec(['spec:broken'], env, { commands: list });
		expect(run).toEqual({
			code: 1,
			stdout: '',
			stderr: 'spec:broken failed: the disk is on fire\n'
		});
	});

	it('reports bad settings with exit code 1', async () => {
		const run = await runCliForSpec(
			['spec:echo', '--to', 'Sam'],
			{ ...env, PORT: 'eighty' },
			{
				commands: list
			}
		);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/PORT must be a whole number/);
	});

	it('runs as `npm run colab` does, with its exit codes', async () => {
		const cli = (args: string[]) =>
			new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
				const child = spawn(
					process.execPath,
					['node_modules/tsx/dist/cli.mjs', 'src/cli/index.ts', ...args],
					{
						env: { ...process.env, DATABASE_URL: '', SMTP_URL: '', ...env },
						stdio: ['pipe', 'pipe', 'pipe']
					}
				);
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
				child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
				child.stdin.end('');
				child.on('close', (code) => resolve({ code, stdout, stderr }));
			});
		const [help, wrong] = await Promise.all([cli(['help']), cli(['mail:test'])]);
		expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining('mail:test') });
		expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('--to is required') });
	});
});
