import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { findPersonReferences, unregisteredReferences } from './person-references';
import { PERSONAL_DATA } from './your-data.registry';

describeEachDatabase('your data: every table that points at a person is registered', (ctx) => {
	it('finds no column referring to a person that the registry does not cover', async () => {
		const references = await findPersonReferences(ctx.db);
		// The introspection really sees the schema (else this test could never fail).
		expect(references.map((r) => `${r.table}.${r.column}`)).toEqual(
			expect.arrayContaining([
				'auth_session.user_id',
				'mail_outbox.user_id',
				'audit_log.actor_id',
				'organisation.created_by'
			])
		);
		expect(unregisteredReferences(references, PERSONAL_DATA)).toEqual([]);
	});

	it('registers app_user itself, and only tables and columns that exist', async () => {
		expect(PERSONAL_DATA.some((r) => r.table === 'app_user')).toBe(true);
		const tables = await ctx.db.introspection.getTables();
		for (const registration of PERSONAL_DATA) {
			const table = tables.find((t) => t.name === registration.table);
			expect(table, `${registration.table} is registered but does not exist`).toBeDefined();
			const columns = table!.columns.map((c) => c.name);
			for (const column of registration.personColumns) {
				expect(columns, `${registration.table}.${column}`).toContain(column);
			}
		}
		// One registration per table, so no table's rows are erased twice.
		const names = PERSONAL_DATA.map((r) => r.table);
		expect(new Set(names).size).toBe(names.length);
	});

	it('notices a new table with a foreign key to app_user, or a column named like one', async () => {
		await sql`create table spec_thing (id text primary key, owner text references app_user(id))`.execute(
			ctx.db
		);
		await sql`create table spec_review (id text primary key, reviewed_by text, target_user_id text, actor_id text)`.execute(
			ctx.db
		);
		try {
			const missing = unregisteredReferences(await findPersonReferences(ctx.db), PERSONAL_DATA);
			expect(missing).toEqual([
				'spec_review.actor_id (name)',
				'spec_review.reviewed_by (name)',
				'spec_review.target_user_id (name)',
				'spec_thing.owner (foreign key)'
			]);
		} finally {
			await sql`drop table spec_thing`.execute(ctx.db);
			await sql`drop table spec_review`.execute(ctx.db);
		}
	});
});

describe('your data: registrations', () => {
	it('say in a sentence what deletion does, and how to export what they hold', () => {
		for (const registration of PERSONAL_DATA) {
			expect(registration.onDelete, registration.table).toMatch(/^[A-Z].+\.$/);
			expect(!!registration.export, registration.table).toBe(!!registration.exportAs);
		}
		const sections = PERSONAL_DATA.flatMap((r) => (r.exportAs ? [r.exportAs] : []));
		expect(new Set(sections).size).toBe(sections.length);
	});
});
