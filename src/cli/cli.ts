import { openConfiguredDatabase } from '../lib/server/app';
import { readConfig, type Config } from '../lib/server/config';
import type { Database } from '../lib/server/db/database';
import { migrateToLatest } from '../lib/server/db/migrate';
import { UsageError, type Command, type CommandContext, type Writer } from './command';
import { commands } from './commands/index';

export interface CliIo {
	stdout: Writer;
	stderr: Writer;
	stdin(): Promise<string>;
	env?: NodeJS.ProcessEnv;
}

function helpText(list: readonly Command[]): string {
	const width = Math.max(...list.map((c) => c.name.length), 4);
	return [
		'Usage: npm run colab -- <command> [options]',
		'',
		'Commands:',
		...[
			{ name: 'help', summary: 'Show this list, or `help <command>` for one command' },
			...list
		].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		'Settings come from the environment, as for `npm start` (DATA_DIR, DATABASE_URL, …).',
		''
	].join('\n');
}

function commandHelp(command: Command): string {
	return `${command.summary}\n\nUsage: npm run colab -- ${command.usage}\n`;
}

/**
 * Runs one CLI command and returns its exit code: 0 done, 1 failed, 2 usage error. Reads the
 * same settings as the app; opens the database only for commands that use it; never starts
 * the app (no hooks, no mail worker).
 */
export async function runCli(
	argv: string[],
	io: CliIo,
	list: readonly Command[] = commands
): Promise<number> {
	const [name, ...args] = argv;
	if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
		const topic = args[0] ? list.find((c) => c.name === args[0]) : undefined;
		if (args[0] && !topic) {
			io.stderr.write(`Unknown command "${args[0]}".\n\n${helpText(list)}`);
			return 2;
		}
		io.stdout.write(topic ? commandHelp(topic) : helpText(list));
		return 0;
	}
	const command = list.find((c) => c.name === name);
	if (!command) {
		io.stderr.write(`Unknown command "${name}".\n\n${helpText(list)}`);
		return 2;
	}
	if (args.includes('--help') || args.includes('-h')) {
		io.stdout.write(commandHelp(command));
		return 0;
	}

	let config: Config;
	try {
		config = readConfig(io.env ?? process.env);
	} catch (error) {
		io.stderr.write(`Error in the settings: ${(error as Error).message}\n`);
		return 1;
	}
	let database: Database | undefined;
	const ctx: CommandContext = {
		config,
		get database() {
			return (database ??= openConfiguredDatabase(config));
		},
		stdout: io.stdout,
		stderr: io.stderr,
		stdin: io.stdin
	};
	try {
		if ((command.database ?? 'migrated') === 'migrated') await migrateToLatest(ctx.database.db);
		return (await command.run(args, ctx)) ?? 0;
	} catch (error) {
		if (error instanceof UsageError) {
			io.stderr.write(`${error.message}\n\nUsage: npm run colab -- ${command.usage}\n`);
			return 2;
		}
		io.stderr.write(
			`${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`
		);
		return 1;
	} finally {
		await database?.close();
	}
}
