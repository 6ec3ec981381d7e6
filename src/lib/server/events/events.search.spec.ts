import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import {
	refreshSearchDocument,
	searchDocuments,
	type SearchViewer
} from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { deleteAccount } from '../your-data/your-data.service';
import { closeVote, proposeTopic, writeHarvest } from './cafe.service';
import { seedEvents } from './events.demo';
import { EVENT_SEARCH, refreshEventSearchOfFormat, TALK_SEARCH } from './events.search';
import { addFormat, updateFormat } from './formats.service';
import {
	approveEvent,
	cancelEvent,
	createEvent,
	eventFormValues,
	updateEvent,
	writeRecord
} from './events.service';
import { eventValues, publishedEvent, testMember, TEST_SITE } from './events.testing';
import { decideTalk, offerTalk, withdrawTalk } from './talks.service';
import type { SearchRegistration } from '../search/search.registry';

const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };
const VIEWERS = { visitor, member } as const;
/** A moment before the specs' events (which start in June 2030). */
const BEFORE = '2030-05-01T10:00:00.000Z';
const SITE = { siteName: TEST_SITE.siteName, origin: TEST_SITE.origin };

let words = 0;
/** A word no other spec uses, so each search finds only what its spec made. */
function word(label: string): string {
	words++;
	return `${label}${'abcdefghij'[words % 10]}${'klmnopqrst'[Math.floor(words / 10) % 10]}x`;
}

/**
 * Fails the write of a `kind` document once it has run, so the change's transaction rolls back
 * after its document was written inside it.
 */
class FailAfterIndexWrite implements KyselyPlugin {
	indexWrites = 0;
	private readonly writes = new WeakSet<object>();
	transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
		const sqlText = node.kind === 'RawNode' ? node.sqlFragments.join('?') : '';
		if (/^\s*insert into search_document\b/.test(sqlText)) this.writes.add(queryId);
		return node;
	}
	async transformResult<T>({ queryId, result }: { queryId: object; result: T }): Promise<T> {
		if (this.writes.has(queryId)) {
			this.indexWrites++;
			throw new Error('the change failed after the index was written');
		}
		return result;
	}
}

describeEachDatabase('events in search', (ctx) => {
	/** Ids of this kind that a search finds for this viewer; asserts the count agrees. */
	async function found(query: string, viewer: SearchViewer, kind = 'event'): Promise<string[]> {
		const page = await searchDocuments(ctx.db, {
			query,
			kinds: [kind],
			visibleTo: viewer,
			limit: 50,
			offset: 0
		});
		expect(page.total).toBe(page.results.length);
		return page.results.map((r) => r.docId);
	}

	/** Whether every viewer (visitor and member) finds exactly these ids for the query. */
	async function everyoneFinds(query: string, ids: string[], kind = 'event') {
		for (const viewer of Object.values(VIEWERS)) {
			expect(await found(query, viewer, kind)).toEqual(ids);
		}
	}

	async function documentOf(kind: string, id: string) {
		return ctx.db
			.selectFrom('search_document')
			.selectAll()
			.where('kind', '=', kind)
			.where('doc_id', '=', id)
			.executeTakeFirst();
	}

	async function curator(): Promise<SessionUser> {
		return testMember(ctx.db, 'curator');
	}

	it('finds a published event by title, description, place and format, as plain text', async () => {
		const [t, d, v] = [word('title'), word('desc'), word('venue')];
		const { event } = await publishedEvent(ctx.db, {
			title: `Evening ${t}`,
			description: `We **talk** about [${d}](https://example.org) together.`,
			venueName: `The ${v} Hall`
		});
		for (const q of [t, d, v]) await everyoneFinds(q, [event.id]);
		const doc = await documentOf('event', event.id);
		expect(doc).toMatchObject({
			title: `Evening ${t}`,
			path: `/events/${event.id}`,
			format: 'exchange',
			visibility: 'public',
			organisation_id: null
		});
		expect(String(doc?.starts_at)).toContain('2030-06-04');
		expect(doc?.body).toContain(`We talk about ${d} (https://example.org/) together.`);
		expect(doc?.body).not.toMatch(/\*\*|\]\(/);
		expect(doc?.body).toContain('Exchange');
	});

	it('writes a new event’s document from the row in hand exactly as reading it back would', async () => {
		const { event } = await publishedEvent(ctx.db, {
			title: `Lunch ${word('new')}`,
			description: `Bring **food** to [share](https://example.org).`,
			venueName: `The ${word('hall')} Hall`,
			format: 'knowledge-cafe'
		});
		const written = await documentOf('event', event.id);
		expect(written?.body).toContain('Knowledge Café');
		await refreshSearchDocument(ctx.db, EVENT_SEARCH, event.id);
		expect(await documentOf('event', event.id)).toEqual(written);
	});

	it('follows its format’s new name, in the transaction of the rename', async () => {
		const by = await curator();
		const [before, after] = [word('fmtold'), word('fmtnew')];
		const values = (name: string) => ({
			name: `Walk ${name}`,
			description: 'A gentle walk in pairs.',
			tools: 'none'
		});
		const added = await addFormat(ctx.db, by, values(before));
		if (!added.ok) throw new Error('format not added');
		const format = added.format.id;
		const events = [];
		for (let i = 0; i < 3; i++) events.push((await publishedEvent(ctx.db, { format }, by)).event);
		const unlisted = await publishedEvent(ctx.db, { format, visibility: 'unlisted' }, by);
		const ids = events.map((e) => e.id).sort();
		const sorted = async (q: string) => (await found(q, visitor)).sort();
		expect(await sorted(before)).toEqual(ids);

		expect(await updateFormat(ctx.db, by, format, values(after))).toEqual({ ok: true });
		expect(await sorted(after)).toEqual(ids);
		expect(await sorted(before)).toEqual([]);
		expect(await documentOf('event', unlisted.event.id)).toBeUndefined();
		// As a rebuild would write them; and a batch at a time gives the same.
		const written = await documentOf('event', events[0]!.id);
		await refreshSearchDocument(ctx.db, EVENT_SEARCH, events[0]!.id);
		expect(await documentOf('event', events[0]!.id)).toEqual(written);
		expect(await refreshEventSearchOfFormat(ctx.db, format, 1)).toBe(3);
		expect(await refreshEventSearchOfFormat(ctx.db, format, 2)).toBe(3);
		expect(await documentOf('event', events[0]!.id)).toEqual(written);
	});

	it('follows an edit', async () => {
		const [before, after] = [word('before'), word('after')];
		const { event, host } = await publishedEvent(ctx.db, { title: `Session ${before}` });
		const values = { ...eventFormValues(event, TEST_SITE.timeZone), title: `Session ${after}` };
		expect(await updateEvent(ctx.db, TEST_SITE, host, event.id, values)).toMatchObject({
			ok: true
		});
		await everyoneFinds(before, []);
		await everyoneFinds(after, [event.id]);
	});

	it('has no document for an unlisted event, and follows it in and out of the list', async () => {
		const secret = word('unlisted');
		const { event, host } = await publishedEvent(ctx.db, {
			title: `Private ${secret}`,
			visibility: 'unlisted'
		});
		await everyoneFinds(secret, []);
		expect(await documentOf('event', event.id)).toBeUndefined();
		const form = eventFormValues(event, TEST_SITE.timeZone);
		await updateEvent(ctx.db, TEST_SITE, host, event.id, { ...form, visibility: 'public' });
		await everyoneFinds(secret, [event.id]);
		await updateEvent(ctx.db, TEST_SITE, host, event.id, { ...form, visibility: 'unlisted' });
		await everyoneFinds(secret, []);
		expect(await documentOf('event', event.id)).toBeUndefined();
	});

	it('keeps an event waiting for approval out of search, even for its host, until approved', async () => {
		const pending = word('pending');
		const host = await testMember(ctx.db);
		const created = await createEvent(
			ctx.db,
			TEST_SITE,
			host,
			eventValues({ title: `First ${pending}` })
		);
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(created.event.approval).toBe('pending');
		await everyoneFinds(pending, []);
		expect(await documentOf('event', created.event.id)).toBeUndefined();
		expect(await approveEvent(ctx.db, TEST_SITE, await curator(), created.event.id)).toEqual({
			ok: true
		});
		await everyoneFinds(pending, [created.event.id]);
	});

	it('keeps a cancelled public event findable (its page stays open and says so)', async () => {
		const cancelled = word('cancelled');
		const { event, host } = await publishedEvent(ctx.db, { title: `Evening ${cancelled}` });
		const result = await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'Flooded.' });
		expect(result).toMatchObject({ ok: true });
		await everyoneFinds(cancelled, [event.id]);
	});

	it('adds the record once the host writes it', async () => {
		const [summary, outcome] = [word('summary'), word('outcome')];
		const host = await curator();
		const created = await createEvent(
			ctx.db,
			TEST_SITE,
			host,
			eventValues({ startDate: '2021-06-01' }),
			'2021-01-01T09:00:00.000Z'
		);
		if (!created.ok) throw new Error(JSON.stringify(created));
		await everyoneFinds(summary, []);
		expect(
			await writeRecord(ctx.db, host, created.event.id, {
				summary: `Twelve people _shared_ ${summary}.`,
				attendance: '12',
				outcomes: `A list of ${outcome}.`,
				links: ''
			})
		).toEqual({ ok: true });
		await everyoneFinds(summary, [created.event.id]);
		await everyoneFinds(outcome, [created.event.id]);
		expect((await documentOf('event', created.event.id))?.body).toContain(
			`Twelve people shared ${summary}.`
		);
	});

	it('adds the café’s tables and harvests once the vote closes, as the event page shows them', async () => {
		const [topic, harvest] = [word('topic'), word('harvest')];
		const host = await curator();
		const { event } = await publishedEvent(ctx.db, { format: 'knowledge-cafe' }, host);
		expect(await proposeTopic(ctx.db, host, event.id, { title: `About ${topic}` }, BEFORE)).toEqual(
			{ ok: true }
		);
		// While voting, topics show on the café page only, not on the event's page.
		await everyoneFinds(topic, []);
		expect(await closeVote(ctx.db, host, event.id, { tables: '1' }, BEFORE)).toMatchObject({
			ok: true
		});
		await everyoneFinds(topic, [event.id]);
		const topicRow = await ctx.db
			.selectFrom('event_cafe_topic')
			.select('id')
			.where('event_id', '=', event.id)
			.executeTakeFirstOrThrow();
		expect(
			await writeHarvest(ctx.db, host, event.id, topicRow.id, {
				harvest: `We found **${harvest}** helps.`
			})
		).toEqual({ ok: true });
		await everyoneFinds(harvest, [event.id]);
		expect((await documentOf('event', event.id))?.body).toContain(`We found ${harvest} helps.`);
	});

	it('writes a café’s tables in table order, and a rebuild writes the same document', async () => {
		const [first, second, third] = [word('first'), word('second'), word('third')];
		const harvest = word('harvest');
		const host = await curator();
		const { event } = await publishedEvent(ctx.db, { format: 'knowledge-cafe' }, host);
		// Without dots, tables go to the earliest topics; the third gets no table.
		for (const [minute, topic] of [first, second, third].entries()) {
			const at = `2030-05-01T10:0${minute}:00.000Z`;
			expect(await proposeTopic(ctx.db, host, event.id, { title: topic }, at)).toEqual({
				ok: true
			});
		}
		expect(
			await closeVote(ctx.db, host, event.id, { tables: '2' }, '2030-05-01T11:00:00.000Z')
		).toMatchObject({ ok: true, tables: 2 });
		const topics = await ctx.db
			.selectFrom('event_cafe_topic')
			.select(['id', 'title'])
			.where('event_id', '=', event.id)
			.execute();
		const secondId = topics.find((t) => t.title === second)!.id;
		await writeHarvest(ctx.db, host, event.id, secondId, { harvest: `Try _${harvest}_.` });
		const body = (await documentOf('event', event.id))?.body ?? '';
		expect(body).toContain(`${first}\n\n${second}\n\nTry ${harvest}.`);
		expect(body).not.toContain(third);

		const loaded = await EVENT_SEARCH.loadRow(ctx.db, event.id);
		let listed: unknown;
		for (let after: string | null = null; !listed;) {
			const batch = await EVENT_SEARCH.listForReindex(ctx.db, { after, limit: 3 });
			if (!batch.rows.length) break;
			listed = batch.rows.find((row) => row.id === event.id);
			after = batch.lastId;
		}
		expect(EVENT_SEARCH.toDocument(loaded!)?.body).toBe(body);
		expect(EVENT_SEARCH.toDocument(listed as typeof loaded & object)?.body).toBe(body);
	});

	describe('talks', () => {
		async function lightning(title: string) {
			const host = await curator();
			const { event } = await publishedEvent(ctx.db, { format: 'lightning-talks', title }, host);
			return { event, host };
		}

		async function offered(eventId: string, speaker: SessionUser, title: string) {
			expect(
				await offerTalk(ctx.db, speaker, eventId, { title, summary: `All about ${title}` }, BEFORE)
			).toEqual({ ok: true });
			const row = await ctx.db
				.selectFrom('event_talk')
				.select('id')
				.where('event_id', '=', eventId)
				.where('title', '=', title)
				.executeTakeFirstOrThrow();
			return row.id;
		}

		it('finds a talk once accepted, not while offered, and not once withdrawn', async () => {
			const t = word('talk');
			const { event, host } = await lightning('Lightning evening');
			const speaker = await testMember(ctx.db);
			const talkId = await offered(event.id, speaker, `Talk ${t}`);
			await everyoneFinds(t, [], 'talk');
			expect(
				await decideTalk(ctx.db, TEST_SITE, host, event.id, talkId, { decision: 'accept' })
			).toEqual({ ok: true, decision: 'accept' });
			await everyoneFinds(t, [talkId], 'talk');
			expect(await documentOf('talk', talkId)).toMatchObject({
				path: `/events/${event.id}/talks`,
				format: 'lightning-talks',
				visibility: 'public'
			});
			expect(await withdrawTalk(ctx.db, speaker, event.id, talkId)).toEqual({ ok: true });
			await everyoneFinds(t, [], 'talk');
		});

		it('drops a declined talk', async () => {
			const t = word('declined');
			const { event, host } = await lightning('Lightning evening');
			const talkId = await offered(event.id, await testMember(ctx.db), `Talk ${t}`);
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talkId, { decision: 'accept' });
			await everyoneFinds(t, [talkId], 'talk');
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talkId, { decision: 'decline' });
			await everyoneFinds(t, [], 'talk');
		});

		it('follows its event out of the list', async () => {
			const t = word('follows');
			const { event, host } = await lightning('Lightning evening');
			const talkId = await offered(event.id, await testMember(ctx.db), `Talk ${t}`);
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talkId, { decision: 'accept' });
			const form = eventFormValues(event, TEST_SITE.timeZone);
			await updateEvent(ctx.db, TEST_SITE, host, event.id, { ...form, visibility: 'unlisted' });
			await everyoneFinds(t, [], 'talk');
			await updateEvent(ctx.db, TEST_SITE, host, event.id, { ...form, visibility: 'public' });
			await everyoneFinds(t, [talkId], 'talk');
		});
	});

	describe('when a host deletes their account', () => {
		async function hostWithTalk() {
			const [e, t] = [word('leaving'), word('leavingtalk')];
			const host = await curator();
			const { event } = await publishedEvent(
				ctx.db,
				{ format: 'lightning-talks', title: `Evening ${e}` },
				host
			);
			const speaker = await testMember(ctx.db);
			expect(
				await offerTalk(ctx.db, speaker, event.id, { title: `Talk ${t}`, summary: 'S' }, BEFORE)
			).toEqual({ ok: true });
			const talk = await ctx.db
				.selectFrom('event_talk')
				.select('id')
				.where('event_id', '=', event.id)
				.executeTakeFirstOrThrow();
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talk.id, { decision: 'accept' });
			await everyoneFinds(e, [event.id]);
			await everyoneFinds(t, [talk.id], 'talk');
			return { host, event, talkId: talk.id, e, t };
		}

		it('removes their events and the events’ talks when they remove their contributions', async () => {
			const { host, e, t } = await hostWithTalk();
			expect(await deleteAccount(ctx.db, host.id, { contributions: 'remove', site: SITE })).toEqual(
				expect.objectContaining({ ok: true })
			);
			await everyoneFinds(e, []);
			await everyoneFinds(t, [], 'talk');
		});

		it('keeps their (now cancelled) events when they keep their contributions', async () => {
			const { host, event, talkId, e, t } = await hostWithTalk();
			expect(
				await deleteAccount(ctx.db, host.id, {
					contributions: 'keep-as-former-member',
					site: SITE
				})
			).toEqual(expect.objectContaining({ ok: true }));
			await everyoneFinds(e, [event.id]);
			await everyoneFinds(t, [talkId], 'talk');
		});

		it('removes a speaker’s talks when the speaker removes their contributions', async () => {
			const t = word('speakerleaves');
			const host = await curator();
			const { event } = await publishedEvent(ctx.db, { format: 'lightning-talks' }, host);
			const speaker = await testMember(ctx.db);
			await offerTalk(ctx.db, speaker, event.id, { title: `Talk ${t}`, summary: 'S' }, BEFORE);
			const talk = await ctx.db
				.selectFrom('event_talk')
				.select('id')
				.where('event_id', '=', event.id)
				.executeTakeFirstOrThrow();
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talk.id, { decision: 'accept' });
			await everyoneFinds(t, [talk.id], 'talk');
			await deleteAccount(ctx.db, speaker.id, { contributions: 'remove', site: SITE });
			await everyoneFinds(t, [], 'talk');
		});
	});

	it('leaves no document when the event’s creation is rolled back', async () => {
		const gone = word('rolledback');
		const host = await curator();
		const failing = new FailAfterIndexWrite();
		await expect(
			createEvent(
				ctx.db.withPlugin(failing),
				TEST_SITE,
				host,
				eventValues({ title: `Gone ${gone}` })
			)
		).rejects.toThrow('the change failed after the index was written');
		// The document was written inside the transaction, then rolled back with the event.
		expect(failing.indexWrites).toBe(1);
		const rows = await ctx.db
			.selectFrom('event')
			.select('id')
			.where('title', '=', `Gone ${gone}`)
			.execute();
		expect(rows).toEqual([]);
		await everyoneFinds(gone, []);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('title', '=', `Gone ${gone}`)
			.execute();
		expect(docs).toEqual([]);
	});

	it('indexes the demo events as they are seeded', async () => {
		const people = [await testMember(ctx.db), await testMember(ctx.db), await testMember(ctx.db)];
		await seedEvents(ctx.db, people, TEST_SITE.timeZone);
		const seeded = await ctx.db
			.selectFrom('event')
			.select('id')
			.where('host_id', '=', people[1]!.id)
			.execute();
		expect(seeded.length).toBeGreaterThan(0);
		for (const { id } of seeded) expect(await documentOf('event', id)).toBeDefined();
		const talks = await ctx.db
			.selectFrom('event_talk')
			.innerJoin('event', 'event.id', 'event_talk.event_id')
			.select(['event_talk.id', 'event_talk.status'])
			.where('event.host_id', '=', people[1]!.id)
			.execute();
		for (const talk of talks) {
			expect(!!(await documentOf('talk', talk.id))).toBe(talk.status === 'accepted');
		}
	});

	// Last: every write above must have left the index saying what a rebuild would say.
	for (const registration of [EVENT_SEARCH, TALK_SEARCH] as SearchRegistration<unknown>[]) {
		it(`rebuilds the same ${registration.kind} documents, a page at a time in id order`, async () => {
			const ids: string[] = [];
			const documents: string[] = [];
			let after: string | null = null;
			for (;;) {
				const batch: { rows: unknown[]; lastId: string | null } = await registration.listForReindex(
					ctx.db,
					{ after, limit: 3 }
				);
				if (!batch.rows.length) break;
				expect(batch.rows.length).toBeLessThanOrEqual(3);
				for (const row of batch.rows) {
					const doc = registration.toDocument(row);
					const id = (row as { id: string }).id;
					ids.push(id);
					if (doc) documents.push(doc.docId);
				}
				after = batch.lastId;
			}
			expect(new Set(ids).size).toBe(ids.length);
			const table = registration.kind === 'event' ? 'event' : 'event_talk';
			const all = await ctx.db.selectFrom(table).select('id').orderBy('id').execute();
			expect(ids).toEqual(all.map((r) => r.id));
			const indexed = await ctx.db
				.selectFrom('search_document')
				.select('doc_id')
				.where('kind', '=', registration.kind)
				.orderBy('doc_id')
				.execute();
			expect(documents.length).toBeGreaterThan(0);
			expect(indexed.map((r) => r.doc_id).sort()).toEqual(documents.sort());
		});
	}
});
