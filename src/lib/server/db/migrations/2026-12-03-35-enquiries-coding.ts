import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Enquiries, coding (issue 16, part B).
// - Code names are unique within an enquiry whatever their case: "Time" and "time" are one code.
// - `enquiry_code_merge`: a code merged into another leaves a forwarding note, so a member who
//   codes with the old code (a form opened before the merge) is told where it went.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createIndex('enquiry_code_name_folded_idx')
		.on('enquiry_code')
		.expression(sql`enquiry_id, lower(name)`)
		.unique()
		.execute();
	await db.schema
		.createTable('enquiry_code_merge')
		.addColumn('from_code_id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('into_code_id', 'text', (c) =>
			c.notNull().references('enquiry_code.id').onDelete('cascade')
		)
		.addColumn('from_name', 'text', (c) => c.notNull())
		.addColumn('merged_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('merged_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_code_merge_into_idx')
		.on('enquiry_code_merge')
		.column('into_code_id')
		.execute();
	await db.schema
		.createIndex('enquiry_code_merge_enquiry_idx')
		.on('enquiry_code_merge')
		.column('enquiry_id')
		.execute();
	await db.schema
		.createIndex('enquiry_code_merge_by_idx')
		.on('enquiry_code_merge')
		.column('merged_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('enquiry_code_merge').execute();
	await db.schema.dropIndex('enquiry_code_name_folded_idx').execute();
}
