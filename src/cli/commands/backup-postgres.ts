import { spawn } from 'node:child_process';
import pg from 'pg';

// PostgreSQL's own tools make and restore backups (pg_dump takes one consistent snapshot while
// CoLab keeps writing). These helpers run them without ever putting the password on a command
// line, where `ps` and process logs would show it to everyone on the machine.

/** What a PostgreSQL tool printed and how it ended. */
export interface ToolRun {
	code: number;
	stdout: string;
	stderr: string;
}

/** Settings a connection string can carry, as the PG* variables libpq reads. */
const QUERY_VARIABLES: Record<string, string> = {
	sslmode: 'PGSSLMODE',
	sslrootcert: 'PGSSLROOTCERT',
	sslcert: 'PGSSLCERT',
	sslkey: 'PGSSLKEY',
	application_name: 'PGAPPNAME',
	connect_timeout: 'PGCONNECT_TIMEOUT',
	options: 'PGOPTIONS',
	host: 'PGHOST',
	port: 'PGPORT'
};

/** Variables that would point the tools at another server or account than DATABASE_URL. */
const CONNECTION_VARIABLES = [
	'PGHOST',
	'PGHOSTADDR',
	'PGPORT',
	'PGUSER',
	'PGPASSWORD',
	'PGDATABASE',
	'PGSERVICE',
	'PGSERVICEFILE'
];

/**
 * The environment for a PostgreSQL tool: ours, minus any PG* connection settings, plus those of
 * `databaseUrl` (password included) as PG* variables. Only the child process sees them.
 */
export function postgresToolEnvironment(
	databaseUrl: string,
	base: NodeJS.ProcessEnv = process.env
): NodeJS.ProcessEnv {
	const url = new URL(databaseUrl);
	const env: NodeJS.ProcessEnv = { ...base };
	for (const name of CONNECTION_VARIABLES) delete env[name];
	if (url.hostname) env.PGHOST = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
	if (url.port) env.PGPORT = url.port;
	if (url.username) env.PGUSER = decodeURIComponent(url.username);
	if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
	const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
	if (database) env.PGDATABASE = database;
	for (const [key, value] of url.searchParams) {
		const variable = QUERY_VARIABLES[key];
		if (variable) env[variable] = value;
	}
	return env;
}

/** The database's name and server, safe to print (no user, no password). */
export function describePostgres(databaseUrl: string): string {
	const url = new URL(databaseUrl);
	return `PostgreSQL database "${decodeURIComponent(url.pathname.replace(/^\//, ''))}" on ${url.host || 'the local server'}`;
}

/** The database name in `databaseUrl` (what the tools' --dbname gets: a name, never a URL). */
export function databaseName(databaseUrl: string): string {
	const url = new URL(databaseUrl);
	return decodeURIComponent(url.pathname.replace(/^\//, '')) || url.username || 'postgres';
}

/** Runs a tool and collects its output; `null` when it is not installed (not on PATH). */
export function runTool(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv
): Promise<ToolRun | null> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') resolve(null);
			else reject(error);
		});
		child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
	});
}

/** The major version in "pg_dump (PostgreSQL) 15.20 (Debian …)", or null. */
export function majorVersion(versionLine: string): number | null {
	const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine) ?? /\b(\d+)\.\d+/.exec(versionLine);
	return match ? Number(match[1]) : null;
}

/** The server's major version (15 for 15.20), asked over a connection of our own. */
export async function serverMajorVersion(databaseUrl: string): Promise<number> {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		const result = await client.query<{ server_version_num: string }>('show server_version_num');
		return Math.floor(Number(result.rows[0]!.server_version_num) / 10000);
	} finally {
		await client.end();
	}
}

/**
 * Finds `tool` (pg_dump or pg_restore) and checks it can work with a server of major version
 * `server`: the same major version or newer. Returns a plain-English reason when it cannot.
 */
export async function checkTool(
	tool: 'pg_dump' | 'pg_restore',
	server: number,
	env: NodeJS.ProcessEnv
): Promise<{ ok: true; major: number } | { ok: false; reason: string }> {
	const install =
		`Install PostgreSQL's client tools, version ${server} or newer (on Debian or Ubuntu: ` +
		`sudo apt-get install postgresql-client-${server}), so that ${tool} is on the PATH.`;
	const version = await runTool(tool, ['--version'], env);
	if (!version || version.code !== 0)
		return { ok: false, reason: `${tool} was not found. ${install}` };
	const major = majorVersion(version.stdout);
	if (major === null)
		return { ok: false, reason: `Could not tell which version ${tool} is: ${version.stdout}` };
	if (major < server)
		return {
			ok: false,
			reason: `${tool} is version ${major}, older than the server (PostgreSQL ${server}). ${install}`
		};
	return { ok: true, major };
}

/** The file starts like a pg_dump custom-format archive, or a SQLite database, or neither. */
export function backupKind(head: Buffer): 'postgres' | 'sqlite' | 'unknown' {
	if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
	if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'sqlite';
	return 'unknown';
}

/** Names of the tables a pg_dump archive holds, from its table of contents (`pg_restore -l`). */
export function tablesInArchive(list: string): string[] {
	const tables: string[] = [];
	for (const line of list.split('\n')) {
		// e.g. "215; 1259 16390 TABLE public app_user postgres"
		const match = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(\S+)\s+(\S+)\s/.exec(line);
		if (match) tables.push(`${match[1]}.${match[2]}`);
	}
	return tables;
}

/**
 * The migration names in a pg_dump archive's kysely_migration table, read with pg_restore
 * (no database needed): its data comes out as a COPY block of tab-separated rows.
 */
export function migrationsInScript(script: string): string[] {
	const lines = script.split('\n');
	const start = lines.findIndex((line) => /^COPY \S*kysely_migration \(/.test(line));
	if (start < 0) return [];
	const header = /^COPY \S+ \(([^)]*)\)/.exec(lines[start]!)![1]!.split(', ');
	const column = header.indexOf('name');
	const names: string[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line === '\\.') break;
		names.push(line.split('\t')[column]!);
	}
	return names;
}
