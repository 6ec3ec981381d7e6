// Adds `count` public blog posts (default 10,000) to the benchmark's database, in one
// transaction that also bumps the content version: written by members of the bench's seed,
// some for an organisation, each under one or two of eight themes, a few a day back in time.
// Run by bench/run.js through tsx, with the same settings as the server:
//   tsx bench/seed-posts.ts [count]
// Prints one JSON line describing what it made.
import { sql } from 'kysely';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';

const count = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(count) || count < 0) {
	console.error('usage: tsx bench/seed-posts.ts [count]');
	process.exit(2);
}

const THEMES = [
	'Loneliness',
	'Housing',
	'Mental health',
	'Carers',
	'Young people',
	'Money and debt',
	'Getting about',
	'Food'
];

const PARAGRAPH =
	'We met on a wet Tuesday and talked about what actually helps. People who use the service ' +
	'said what they needed, staff listened, and we agreed three small changes to try together.';

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const authorIds = (
		await db.selectFrom('app_user').select('id').orderBy('email').limit(500).execute()
	).map((r) => r.id);
	const organisationIds = (
		await db.selectFrom('organisation').select('id').orderBy('slug').limit(100).execute()
	).map((r) => r.id);
	const started = Date.now();
	const now = Date.now();
	await db.transaction().execute(async (trx) => {
		const themes = THEMES.map((name) => ({
			id: newId(),
			slug: `bench-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`,
			name,
			description: null,
			status: 'active' as const,
			suggested_by: null,
			created_at: nowIso()
		}));
		await trx.insertInto('theme').values(themes).execute();
		for (let start = 0; start < count; start += 500) {
			const posts = [];
			const links = [];
			for (let i = start; i < Math.min(count, start + 500); i++) {
				const id = newId();
				// Three posts a day, going back in time; a new one every 8 hours.
				const at = new Date(now - (i + 1) * 8 * 3_600_000).toISOString();
				const body = Array.from({ length: 1 + (i % 6) }, () => PARAGRAPH).join('\n\n');
				posts.push({
					id,
					slug: `bench-post-${i}`,
					author_id: authorIds.length ? authorIds[i % authorIds.length]! : null,
					organisation_id:
						organisationIds.length && i % 3 === 0
							? organisationIds[i % organisationIds.length]!
							: null,
					event_id: null,
					title: `Bench Post ${i}: what we learned about ${THEMES[i % THEMES.length]!.toLowerCase()}`,
					body,
					word_count: body.split(/\s+/).length,
					first_image_id: null,
					status: 'published' as const,
					published_at: at,
					featured_at: i < 3 ? at : null,
					comments_closed: 0,
					hidden_at: null,
					version: 1,
					created_at: at,
					updated_at: at
				});
				links.push({ post_id: id, theme_id: themes[i % themes.length]!.id });
				if (i % 2 === 0) links.push({ post_id: id, theme_id: themes[(i + 3) % themes.length]!.id });
			}
			await trx.insertInto('post').values(posts).execute();
			await trx.insertInto('post_theme').values(links).execute();
		}
		await markContentChanged(trx);
	});
	if (isPostgres(db)) await sql`vacuum (analyze) post, post_theme`.execute(db);
	console.log(
		JSON.stringify({ posts: count, themes: THEMES.length, seconds: (Date.now() - started) / 1000 })
	);
} finally {
	await database.close();
}
