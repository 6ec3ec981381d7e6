// Adds the benchmark's enquiry (issue 16): the member given leads it; 200 participants across
// the perspectives, one interview each of 100 sentences, the seeded codebook (2 parents, 40
// themes) and 20,000 excerpts (BENCH_ENQUIRY_EXCERPTS), each coded with one or two themes, in
// batches inside one transaction. Run by bench/run.js through tsx once the member exists:
//   tsx bench/seed-enquiry.ts <lead email>
// Prints one JSON line: the enquiry's id, the busiest code's id, and how much was seeded.
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';
import { SEED_CODEBOOK } from '../src/lib/server/enquiries/codebook.seed';
import { PERSPECTIVES } from '../src/lib/server/enquiries/enquiries.tables';

const INTERVIEWS = Number(process.env.BENCH_ENQUIRY_INTERVIEWS || 200);
const EXCERPTS = Number(process.env.BENCH_ENQUIRY_EXCERPTS || 20_000);
const SENTENCES = 100;
const BATCH = 500;
const [leadEmail] = process.argv.slice(2);
if (!leadEmail) {
	console.error('usage: tsx bench/seed-enquiry.ts <lead email>');
	process.exit(2);
}

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const started = Date.now();
	const lead = await db
		.selectFrom('app_user')
		.select('id')
		.where('email', '=', leadEmail)
		.executeTakeFirstOrThrow();
	const enquiryId = newId();
	const now = nowIso();
	const codeIds: string[] = [];
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('enquiry')
			.values({
				id: enquiryId,
				title: 'Bench: what does co-production mean here?',
				questions: 'What does co-production mean to you?',
				purpose: 'Benchmark.',
				method: 'Interviews.',
				consent_text: 'You can withdraw at any time.',
				stage: 'analysing',
				created_by: lead.id,
				report_title: null,
				report_summary: null,
				published_at: null,
				raw_deleted_at: null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await trx
			.insertInto('enquiry_member')
			.values({
				enquiry_id: enquiryId,
				user_id: lead.id,
				role: 'lead',
				added_by: null,
				added_at: now
			})
			.execute();
		let position = 0;
		for (const group of SEED_CODEBOOK) {
			const parentId = newId();
			const rows = [
				{ id: parentId, parent_id: null as string | null, name: group.name },
				...group.children.map((name) => ({ id: newId(), parent_id: parentId, name }))
			];
			await trx
				.insertInto('enquiry_code')
				.values(
					rows.map((r) => ({
						...r,
						enquiry_id: enquiryId,
						description: '',
						position: ++position,
						created_by: lead.id,
						created_at: now,
						updated_at: now
					}))
				)
				.execute();
			codeIds.push(...rows.slice(1).map((r) => r.id));
		}
		const perInterview = Math.ceil(EXCERPTS / INTERVIEWS);
		let excerpts: Array<Record<string, unknown>> = [];
		let codings: Array<Record<string, unknown>> = [];
		let made = 0;
		const flush = async () => {
			if (excerpts.length)
				await trx
					.insertInto('enquiry_excerpt')
					.values(excerpts as never)
					.execute();
			for (let i = 0; i < codings.length; i += BATCH)
				await trx
					.insertInto('enquiry_coding')
					.values(codings.slice(i, i + BATCH) as never)
					.execute();
			excerpts = [];
			codings = [];
		};
		for (let n = 0; n < INTERVIEWS; n++) {
			const participantId = newId();
			await trx
				.insertInto('enquiry_participant')
				.values({
					id: participantId,
					enquiry_id: enquiryId,
					label: `Participant ${n + 1}`,
					perspective: PERSPECTIVES[n % PERSPECTIVES.length]!,
					consent_take_part: 1,
					consent_quote: n % 3 === 0 ? 'name' : 'perspective',
					consent_recorded_at: now,
					consent_recorded_by: lead.id,
					withdrawn_at: null,
					created_by: lead.id,
					created_at: now,
					updated_at: now
				})
				.execute();
			const sentences = Array.from(
				{ length: SENTENCES },
				(_, s) =>
					`Sentence ${s + 1} of interview ${n + 1}: we talked about what gets in the way and what helps.`
			);
			const body = sentences.join(' ');
			const interviewId = newId();
			await trx
				.insertInto('enquiry_interview')
				.values({
					id: interviewId,
					enquiry_id: enquiryId,
					participant_id: participantId,
					interviewer_id: lead.id,
					title: `Interview ${n + 1}`,
					held_on: null,
					kind: 'transcript',
					source_format: 'typed',
					source_name: null,
					body,
					created_by: lead.id,
					created_at: now,
					updated_at: now
				})
				.execute();
			let at = 0;
			for (let s = 0; s < SENTENCES && s < perInterview && made < EXCERPTS; s++, made++) {
				const text = sentences[s]!;
				const id = newId();
				excerpts.push({
					id,
					enquiry_id: enquiryId,
					interview_id: interviewId,
					participant_id: participantId,
					start_offset: at,
					end_offset: at + text.length,
					text,
					created_by: lead.id,
					created_at: now
				});
				const first = codeIds[(n * 7 + s) % codeIds.length]!;
				const second = codeIds[(n * 3 + s * 5 + 1) % codeIds.length]!;
				for (const code_id of first === second ? [first] : [first, second])
					codings.push({ excerpt_id: id, code_id, coded_by: lead.id, coded_at: now });
				at += text.length + 1;
				if (excerpts.length >= BATCH) await flush();
			}
		}
		await flush();
	});
	const busiest = await db
		.selectFrom('enquiry_coding')
		.select(['code_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('code_id', 'in', codeIds)
		.groupBy('code_id')
		.orderBy('n', 'desc')
		.executeTakeFirstOrThrow();
	console.log(
		JSON.stringify({
			enquiryId,
			codeId: busiest.code_id,
			codeExcerpts: Number(busiest.n),
			interviews: INTERVIEWS,
			excerpts: EXCERPTS,
			seconds: (Date.now() - started) / 1000
		})
	);
} finally {
	await database.close();
}
