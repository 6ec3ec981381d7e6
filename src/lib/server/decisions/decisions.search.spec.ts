import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import { publishedEvent } from '../events/events.testing';
import { newId } from '../ids';
import { createOrganisation } from '../organisations/organisations.service';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { seedDecisions } from './decisions.demo';
import { DECISION_SEARCH } from './decisions.search';
import {
	closeDecision,
	editDecision,
	openDecision,
	remindAndCloseDecisions,
	startDecision,
	startNextRound,
	writeOutcome
} from './decisions.service';
import { NOW, decisionInput } from './decisions.testing';

type Person = Awaited<ReturnType<typeof createTestUser>>;

const visitor: SearchViewer = { signedIn: false, audiences: [] };

describeEachDatabase('decisions in search', (ctx) => {
	/** What this person would see: signed in, with the audience keys search would give them. */
	async function viewerOf(person: Person | null): Promise<SearchViewer> {
		if (!person) return visitor;
		return { signedIn: true, audiences: await DECISION_SEARCH.audiencesFor!(ctx.db, person.id) };
	}

	async function find(query: string, person: Person | null) {
		const page = await searchDocuments(ctx.db, {
			query,
			kinds: ['decision'],
			visibleTo: await viewerOf(person),
			limit: 20,
			offset: 0,
			now: NOW
		});
		return { ids: page.results.map((r) => r.docId), total: page.total, page };
	}

	async function opened(facilitator: Person, overrides: Parameters<typeof decisionInput>[0]) {
		const { id, slug } = await startDecision(ctx.db, facilitator, decisionInput(overrides), NOW);
		const result = await openDecision(ctx.db, facilitator, id, NOW);
		expect(result).toEqual({ ok: true });
		return { id, slug };
	}

	it('keeps a draft out of search, finds it for members once open, never for visitors', async () => {
		const priya = await createTestUser(ctx.db);
		const sam = await createTestUser(ctx.db);
		const { id, slug } = await startDecision(
			ctx.db,
			priya,
			decisionInput({ question: 'Should we buy a gazebo?', proposal: 'A **gazebo** for fairs.' }),
			NOW
		);
		for (const who of [null, sam, priya]) expect((await find('gazebo', who)).total).toBe(0);
		await openDecision(ctx.db, priya, id, NOW);
		for (const who of [sam, priya]) {
			const { ids, total, page } = await find('gazebo', who);
			expect(ids).toEqual([id]);
			expect(total).toBe(1);
			expect(page.results[0]!.path).toBe(`/decisions/${slug}`);
			expect(page.results[0]!.type).toBe('open');
		}
		expect((await find('gazebo', null)).total).toBe(0);
	});

	it('follows an edit, a close, the outcome and (as a draft, unseen) the next round', async () => {
		const priya = await createTestUser(ctx.db);
		const sam = await createTestUser(ctx.db);
		const { id } = await opened(priya, {
			question: 'Which biscuits for the café?',
			proposal: 'Ginger nuts.',
			process: 'choose',
			options: ['Custard creams', 'Bourbons']
		});
		expect((await find('bourbons', sam)).ids).toEqual([id]);
		await editDecision(
			ctx.db,
			priya,
			id,
			decisionInput({
				question: 'Which biscuits for the café?',
				proposal: 'Shortbread.',
				process: 'choose',
				options: ['Jammie dodgers', 'Hobnobs']
			}),
			NOW
		);
		expect((await find('bourbons', sam)).total).toBe(0);
		expect((await find('hobnobs', sam)).ids).toEqual([id]);
		await closeDecision(ctx.db, priya, id, NOW);
		expect((await find('hobnobs', sam)).page.results[0]!.type).toBe('closed');
		await writeOutcome(
			ctx.db,
			priya,
			id,
			{ outcome: 'We chose **flapjacks** after all.', result: 'none' },
			NOW
		);
		expect((await find('flapjacks', sam)).ids).toEqual([id]);
		const next = await startNextRound(
			ctx.db,
			priya,
			id,
			{ proposal: 'Try macarons next time.', closesAt: '2026-12-20T10:00:00.000Z' },
			NOW
		);
		expect(next.ok).toBe(true);
		expect((await find('macarons', priya)).total).toBe(0);
	});

	it('shows an organisation-only decision to its members alone, in results and in total', async () => {
		const admin = await createTestUser(ctx.db);
		const insider = await createTestUser(ctx.db);
		const outsider = await createTestUser(ctx.db);
		const org = await createOrganisation(ctx.db, admin, {
			name: `Allotment Friends ${newId().slice(0, 6)}`,
			description: 'Growers.',
			website: ''
		});
		const other = await createOrganisation(ctx.db, outsider, {
			name: `Other Group ${newId().slice(0, 6)}`,
			description: 'Others.',
			website: ''
		});
		if (!org.ok || !other.ok) throw new Error('no organisation');
		await ctx.db
			.insertInto('organisation_member')
			.values({
				organisation_id: org.organisation.id,
				user_id: insider.id,
				role: 'member',
				joined_at: NOW
			})
			.execute();
		const { id } = await opened(admin, {
			question: 'Should we rent a rotavator?',
			proposal: 'For the allotment.',
			audience: 'organisation',
			organisationId: org.organisation.id
		});
		for (const who of [admin, insider]) expect((await find('rotavator', who)).ids).toEqual([id]);
		for (const who of [outsider, null]) {
			const { ids, total } = await find('rotavator', who);
			expect(ids).toEqual([]);
			expect(total).toBe(0);
		}
		// The viewer's keys never leak a restricted decision as 'members'.
		const doc = await ctx.db
			.selectFrom('search_document')
			.select('visibility')
			.where('kind', '=', 'decision')
			.where('doc_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(doc.visibility).toBe(`decision-org:${org.organisation.id}`);
	});

	it('shows an event decision to confirmed registrants only', async () => {
		const { event, host } = await publishedEvent(ctx.db);
		const registered = await createTestUser(ctx.db);
		const waiting = await createTestUser(ctx.db);
		const stranger = await createTestUser(ctx.db);
		for (const [person, status] of [
			[registered, 'confirmed'],
			[waiting, 'waitlisted']
		] as const)
			await ctx.db
				.insertInto('event_registration')
				.values({
					id: newId(),
					event_id: event.id,
					user_id: person.id,
					name: null,
					email: null,
					status,
					places: 1,
					lived_experience: 0,
					need_bsl: 0,
					need_step_free: 0,
					need_hearing_loop: 0,
					need_large_print: 0,
					need_dietary: 0,
					need_childcare: 0,
					need_companion: 0,
					need_other: 0,
					need_details: null,
					queued_at: NOW,
					queue_number: null,
					offer_expires_at: null,
					confirmed_at: status === 'confirmed' ? NOW : null,
					cancelled_at: null,
					checked_in_at: null,
					created_at: NOW,
					updated_at: NOW
				})
				.execute();
		const { id } = await opened(host, {
			question: 'Should the next session have a crèche?',
			proposal: 'A crèche for the wombat room.',
			audience: 'event',
			eventId: event.id
		});
		expect((await find('wombat', registered)).ids).toEqual([id]);
		for (const who of [waiting, stranger, null]) expect((await find('wombat', who)).total).toBe(0);
	});

	it('shows a group decision to the group and its facilitators only', async () => {
		const priya = await createTestUser(ctx.db);
		const inGroup = await createTestUser(ctx.db);
		const outside = await createTestUser(ctx.db);
		const { id } = await opened(priya, {
			question: 'Should the steering group meet online?',
			proposal: 'Meet on a zeppelin call.',
			audience: 'group',
			group: [inGroup.email.toLowerCase()]
		});
		for (const who of [priya, inGroup]) expect((await find('zeppelin', who)).ids).toEqual([id]);
		for (const who of [outside, null]) expect((await find('zeppelin', who)).total).toBe(0);
	});

	it('closes through the worker too, and lists decisions for a reindex in stable pages', async () => {
		const priya = await createTestUser(ctx.db);
		const sam = await createTestUser(ctx.db);
		const { id } = await opened(priya, {
			question: 'Should we paint the hall teal?',
			proposal: 'Teal walls.',
			closesAt: '2026-12-04T10:00:00.000Z'
		});
		await remindAndCloseDecisions(ctx.db, new Date('2026-12-05T10:00:00.000Z'));
		expect((await find('teal', sam)).page.results[0]!.type).toBe('closed');
		expect((await find('teal', sam)).ids).toEqual([id]);

		const all: string[] = [];
		let after: string | null = null;
		for (;;) {
			const batch: Awaited<ReturnType<typeof DECISION_SEARCH.listForReindex>> =
				await DECISION_SEARCH.listForReindex(ctx.db, { after, limit: 3 });
			if (!batch.rows.length) break;
			all.push(...batch.rows.map((r) => r.id));
			after = batch.lastId;
		}
		const ids = (await ctx.db.selectFrom('decision').select('id').orderBy('id').execute()).map(
			(r) => r.id
		);
		expect(all).toEqual(ids);
	});

	it('indexes the demo decisions that are open or closed, not the draft', async () => {
		await seedDemoPeople(ctx.db);
		await seedDecisions(ctx.db);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'decision')
			.where('doc_id', 'like', 'demo-%')
			.execute();
		expect(docs.map((d) => d.doc_id)).toContain('demo-decision-cafe-topics');
		expect(docs.map((d) => d.doc_id)).not.toContain('demo-decision-saturday');
	});
});
