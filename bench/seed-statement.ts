// Adds the benchmark's shared statement: 200 clauses in 10 sections, in two versions, the second
// with every fifth clause reworded, every twentieth removed and 10 new ones, in one
// transaction. Run by bench/run.js (BENCH_ONLY=statement) through tsx:
//   tsx bench/seed-statement.ts
// Prints one JSON line with the statement's clause count and changes.
import { openConfiguredDatabase } from '../src/lib/server/app';
import { readConfig } from '../src/lib/server/config';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';

const SECTIONS = 10;
const PER_SECTION = 20;

const WORDS =
	'people who use services carers volunteers and staff plan and deliver services together sharing power and knowledge so that everyone can contribute what they know and what they can do'.split(
		' '
	);
const sentence = (seed: number, length = 30) =>
	Array.from({ length }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ') + '.';

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	await db.deleteFrom('statement').where('slug', '=', 'statement').execute();
	const now = nowIso();
	const statementId = newId();
	const v1 = newId();
	const v2 = newId();
	const sections = Array.from({ length: SECTIONS }, (_, i) => ({
		id: newId(),
		heading: `Section ${i + 1}`
	}));
	const clauses = sections.flatMap((s, i) =>
		Array.from({ length: PER_SECTION }, (_, j) => ({
			id: newId(),
			section: s.id,
			body: sentence(i * PER_SECTION + j)
		}))
	);
	let changed = 0;
	let removed = 0;
	let added = 0;
	const second: { id: string; section: string; body: string }[] = [];
	clauses.forEach((c, n) => {
		if (n % 20 === 19) {
			removed++;
			return;
		}
		if (n % 5 === 0) {
			changed++;
			const words = c.body.split(' ');
			words.splice(10, 2, 'and', 'deliver', 'together');
			second.push({ ...c, body: words.join(' ') });
		} else second.push(c);
		if (n % 20 === 10) {
			added++;
			second.push({ id: newId(), section: c.section, body: sentence(n + 1000, 25) });
		}
	});
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('statement')
			.values({
				id: statementId,
				slug: 'statement',
				title: 'The benchmark statement',
				current_version: 2,
				created_by: null,
				created_at: now,
				updated_at: now
			})
			.execute();
		for (const [number, id] of [
			[1, v1],
			[2, v2]
		] as const) {
			await trx
				.insertInto('statement_version')
				.values({
					id,
					statement_id: statementId,
					number,
					note: '',
					made_by: null,
					decision_id: null,
					created_at: now
				})
				.execute();
			await trx
				.insertInto('statement_section')
				.values(
					sections.map((s, i) => ({
						version_id: id,
						section_id: s.id,
						position: i + 1,
						heading: s.heading
					}))
				)
				.execute();
			const list = number === 1 ? clauses : second;
			const rows = sections.flatMap((s) =>
				list
					.filter((c) => c.section === s.id)
					.map((c, j) => ({
						version_id: id,
						clause_id: c.id,
						section_id: s.id,
						position: j + 1,
						body: c.body
					}))
			);
			for (let i = 0; i < rows.length; i += 100)
				await trx
					.insertInto('statement_clause')
					.values(rows.slice(i, i + 100))
					.execute();
		}
	});
	console.log(JSON.stringify({ clauses: clauses.length, changed, removed, added }));
} finally {
	await database.close();
}
