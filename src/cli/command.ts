import { parseArgs } from 'node:util';
import type { Config } from '../lib/server/config';
import type { Database } from '../lib/server/db/database';

export interface Writer {
	write(text: string): void;
}

/** What a command gets besides its arguments. */
export interface CommandContext {
	/** The same settings the app reads (PORT, DATA_DIR, DATABASE_URL, …). */
	config: Config;
	/**
	 * The configured database, opened on first use and closed when the command ends. Migrated
	 * to the latest version first unless the command says `database: 'as-is'`.
	 */
	readonly database: Database;
	stdout: Writer;
	stderr: Writer;
	/** Everything piped to the command (for `--password-stdin`); read only when asked for. */
	stdin(): Promise<string>;
}

/**
 * One `npm run colab -- <name> …` command, in its own file under `src/cli/commands/` and listed
 * in `src/cli/commands/index.ts`.
 */
export interface Command {
	/** What people type, e.g. "user:create". */
	name: string;
	/** One line for `help`. */
	summary: string;
	/** The arguments, e.g. "backup --to FILE [--force]"; shown with usage errors. */
	usage: string;
	/**
	 * "migrated" (the default): pending migrations are applied before `run`.
	 * "as-is": the database is left exactly as it is (and is not even opened unless used).
	 */
	database?: 'migrated' | 'as-is';
	/** Returns the exit code (0 when omitted). Throw UsageError for bad arguments (exit 2). */
	run(args: string[], ctx: CommandContext): Promise<number | void>;
}

/** Bad arguments: the CLI prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Values<S extends OptionSpec> = {
	[K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean;
};

/**
 * Parses `--name value` and `--flag` options strictly (unknown options and stray words are
 * usage errors); names in `required` must be given a non-empty value.
 */
export function parseOptions<S extends OptionSpec, R extends keyof S = never>(
	args: string[],
	spec: S,
	required: R[] = []
): Values<S> & { [K in R]-?: string } {
	let values: Record<string, string | boolean | undefined>;
	try {
		values = parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
	} catch (error) {
		// Node's message goes on to explain `--`, which would only confuse here.
		const message = error instanceof Error ? error.message.split('. ')[0]! : String(error);
		throw new UsageError(message.endsWith('.') ? message : `${message}.`);
	}
	for (const name of required) {
		const value = values[name as string];
		if (typeof value !== 'string' || value.trim() === '')
			throw new UsageError(`--${String(name)} is required.`);
	}
	return values as Values<S> & { [K in R]-?: string };
}
