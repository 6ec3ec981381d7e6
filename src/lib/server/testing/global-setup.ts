import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import {
	TEST_DATABASE_URL,
	adminQuery,
	postgresReachable,
	throwawayName,
	withDatabaseName
} from './postgres';

/**
 * Once per test run: make a migrated PostgreSQL template database. Each spec file then clones
 * it (fast) so specs never see each other's rows. Without PostgreSQL the PostgreSQL half of the
 * specs is skipped with a message, except under CI, where that is a failure.
 */
export default async function setup(project: TestProject) {
	if (!(await postgresReachable())) {
		const message = `PostgreSQL is not reachable at ${TEST_DATABASE_URL}.`;
		if (process.env.CI) throw new Error(`${message} CI needs it: start it and run again.`);
		console.warn(`${message} PostgreSQL specs will be skipped. Set TEST_DATABASE_URL or start it.`);
		project.provide('postgresTemplate', '');
		return;
	}
	const template = throwawayName('colab_tpl');
	await adminQuery(`create database ${template}`);
	const database = openDatabase({ databaseUrl: withDatabaseName(TEST_DATABASE_URL, template) });
	try {
		await migrateToLatest(database.db);
	} finally {
		await database.close();
	}
	project.provide('postgresTemplate', template);
	return async () => {
		await adminQuery(`drop database if exists ${template} with (force)`);
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		postgresTemplate: string;
	}
}
