import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests use; a throwaway database is made on it for each run. */
export const TEST_DATABASE_URL =
	process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabaseName(url: string, name: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${name}`;
	return parsed.toString();
}

export function throwawayName(prefix: string): string {
	return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs one statement on the server's maintenance database. */
export async function adminQuery(sqlText: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		await client.query(sqlText);
	} finally {
		await client.end();
	}
}

export async function postgresReachable(): Promise<boolean> {
	const client = new pg.Client({
		connectionString: TEST_DATABASE_URL,
		connectionTimeoutMillis: 3000
	});
	try {
		await client.connect();
		await client.query('select 1');
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => {});
	}
}
