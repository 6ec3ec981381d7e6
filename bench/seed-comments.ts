// Adds the benchmark's post with 50 comments (40, and 10 replies), some by the signed-in
// member so their page shows Edit and Delete too, in one transaction. Run by bench/run.js
// through tsx once the member exists:
//   tsx bench/seed-comments.ts <member email>
// Prints one JSON line with the post's slug, for the comments page's address.
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';

const COMMENTS = 50;
const REPLIES = 10;
const memberEmail = process.argv[2];
if (!memberEmail) {
	console.error('usage: tsx bench/seed-comments.ts <member email>');
	process.exit(2);
}

const BODY =
	'Thank you for writing this. At our café we found that **a name and a cup of tea** matter ' +
	'more than the agenda. We now keep a short list:\n\n- who came last time\n- what they wanted ' +
	'to talk about\n\nMore on [our site](https://example.org/cafe). `Small things`, done every time.';

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const member = await db
		.selectFrom('app_user')
		.select('id')
		.where('email', '=', memberEmail)
		.executeTakeFirstOrThrow();
	const others = await db
		.selectFrom('app_user')
		.select('id')
		.where('id', '!=', member.id)
		.limit(20)
		.execute();
	const writers = [member.id, ...others.map((o) => o.id)];
	const postId = newId();
	const slug = `bench-post-with-comments-${postId
		.slice(0, 6)
		.toLowerCase()
		.replace(/[^a-z0-9]/g, 'x')}`;
	const now = nowIso();
	const start = Date.now() - 86_400_000;
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('post')
			.values({
				id: postId,
				slug,
				author_id: writers[1] ?? member.id,
				organisation_id: null,
				event_id: null,
				title: 'What makes a café welcoming',
				body: 'Notes from a year of Knowledge Cafés.',
				word_count: 7,
				first_image_id: null,
				status: 'published',
				published_at: new Date(start).toISOString(),
				featured_at: null,
				comments_closed: 0,
				hidden_at: null,
				version: 1,
				created_at: now,
				updated_at: now
			})
			.execute();
		const top: string[] = [];
		const rows = [];
		for (let i = 0; i < COMMENTS; i++) {
			const id = newId();
			const isReply = i >= COMMENTS - REPLIES;
			const parent = isReply ? (top[(i * 7) % top.length] ?? null) : null;
			if (!isReply) top.push(id);
			rows.push({
				id,
				post_id: postId,
				parent_id: parent,
				author_id: writers[i % writers.length] ?? member.id,
				body: `${i + 1}. ${BODY}`,
				created_at: new Date(start + (i + 1) * 60_000).toISOString(),
				edited_at: null,
				deleted_at: null,
				hidden_at: null
			});
		}
		await trx.insertInto('comment').values(rows).execute();
	});
	console.log(JSON.stringify({ slug, comments: COMMENTS, replies: REPLIES }));
} finally {
	await database.close();
}
