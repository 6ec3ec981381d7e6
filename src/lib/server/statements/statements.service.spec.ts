import { describe, expect, it } from 'vitest';
import { parseForm, toFormData } from '../forms';
import { createOrganisation } from '../organisations/organisations.service';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { amendmentSchema, decideSchema, endorseSchema } from './statements.schema';
import {
	AMENDMENT_RATE,
	addComment,
	amendmentForm,
	applyAmendments,
	compareVersions,
	declineAmendments,
	deleteComment,
	editComment,
	endorseStatement,
	facilitationView,
	listVersions,
	proposeAmendment,
	startStatement,
	supportAmendment,
	viewAmendment,
	viewPrintable,
	viewStatement,
	withdrawAmendment
} from './statements.service';
import { amendmentValues, startValues } from './statements.testing';
import { seedDemo } from '../demo/demo';
import { DEMO_OPEN_AMENDMENT_ID } from './statements.demo';

describe('statement forms', () => {
	it('say what is wrong with an amendment, keeping what was typed', () => {
		const result = parseForm(
			amendmentSchema,
			toFormData({ kind: 'change', version: '1', text: '', reason: '' })
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual({
			text: 'Write the new words for the clause',
			reason: 'Say why you propose this amendment'
		});
		const removal = parseForm(
			amendmentSchema,
			toFormData({ kind: 'delete', version: '1', reason: 'Says it twice' })
		);
		expect(removal.ok).toBe(true);
	});

	it('refuse a decision with no amendment chosen and an endorsement for nobody', () => {
		const d = parseForm(decideSchema, toFormData({ outcome: 'agreed' }), {
			listFields: ['amendmentIds']
		});
		expect(!d.ok && d.errors.amendmentIds).toBe('Choose at least one amendment');
		const e = parseForm(endorseSchema, toFormData({ onBehalf: '' }));
		expect(!e.ok && e.errors.onBehalf).toBe('Choose who you are endorsing for');
	});
});

describeEachDatabase('the shared statement', (ctx) => {
	async function people() {
		// Specs share one database per engine: each starts with no statement.
		await ctx.db.deleteFrom('statement').execute();
		const curator = await createTestUser(ctx.db, { name: 'Cora Curator', role: 'curator' });
		const amy = await createTestUser(ctx.db, { name: 'Amy Author' });
		const sam = await createTestUser(ctx.db, { name: 'Sam Supporter' });
		return { curator, amy, sam };
	}

	async function started() {
		const p = await people();
		const result = await startStatement(ctx.db, p.curator, startValues());
		expect(result.ok).toBe(true);
		const view = (await viewStatement(ctx.db, p.amy))!;
		return { ...p, view, clause: view.sections[0]!.clauses[0]!, statementId: view.statement.id };
	}

	async function propose(
		actor: {
			id: string;
			name: string;
			email: string;
			role: 'member' | 'curator' | 'administrator';
			emailVerified: boolean;
		},
		values = {}
	) {
		const result = await proposeAmendment(ctx.db, actor, amendmentValues(values));
		if (!result.ok) throw new Error(JSON.stringify(result));
		return result.id;
	}

	describe('starting', () => {
		it('lets a curator start it from a Markdown draft, and only once', async () => {
			const { view, curator } = await started();
			expect(view.version.number).toBe(1);
			expect(view.sections.map((s) => s.heading)).toEqual(['Our vision', 'How we work']);
			expect(view.sections[1]!.clauses.map((c) => c.label)).toEqual(['2.1', '2.2', '2.3']);
			const again = await startStatement(ctx.db, curator, startValues());
			expect(!again.ok && again.errors.title).toMatch(/already been started/);
		});

		it('refuses a member, and a draft with no clauses', async () => {
			const { amy, curator } = await people();
			await expect(startStatement(ctx.db, amy, startValues())).rejects.toThrow(ForbiddenError);
			const empty = await startStatement(
				ctx.db,
				curator,
				startValues({ draft: '## Only a heading' })
			);
			expect(!empty.ok && empty.errors.draft).toMatch(/We found no clauses/);
			expect(await viewStatement(ctx.db, curator)).toBeUndefined();
		});
	});

	describe('amendments', () => {
		it('lets anyone signed in propose one with a reason, and refuses a visitor', async () => {
			const { amy, clause } = await started();
			await expect(
				proposeAmendment(ctx.db, null, amendmentValues({ clause: clause.id }))
			).rejects.toThrow(ForbiddenError);
			const id = await propose(amy, { clause: clause.id });
			const view = (await viewAmendment(ctx.db, amy, id))!;
			expect(view.amendment.author_name).toBe('Amy Author');
			expect(view.amendment.status).toBe('open');
			expect(view.diff.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual([
				'and deliver'
			]);
			const page = (await viewStatement(ctx.db, null))!;
			expect(page.openByClause[clause.id]).toHaveLength(1);
		});

		it('refuses an amendment written against an old version, saying which is newer', async () => {
			const { amy, curator, clause, statementId } = await started();
			const first = await propose(amy, { clause: clause.id });
			await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [first],
				decisionId: null,
				note: ''
			});
			const stale = await proposeAmendment(
				ctx.db,
				amy,
				amendmentValues({ clause: clause.id, version: 1, text: 'Other words.' })
			);
			expect(!stale.ok && stale.reason === 'invalid' && stale.errors.text).toBe(
				'You were amending version 1, but version 2 is newer. Open the statement again, read the clause as it is now, and amend that.'
			);
		});

		it('refuses an unknown clause, unchanged words and too many in an hour', async () => {
			const { amy, clause } = await started();
			const unknown = await proposeAmendment(ctx.db, amy, amendmentValues({ clause: 'nope' }));
			expect(!unknown.ok && unknown.reason === 'invalid' && unknown.errors.text).toMatch(
				/not in the current version/
			);
			const noPlace = await proposeAmendment(
				ctx.db,
				amy,
				amendmentValues({ kind: 'add', clause: 'gone', text: 'New words.' })
			);
			expect(!noPlace.ok && noPlace.reason === 'invalid' && noPlace.errors.text).toMatch(
				/add after is not in the current version/
			);
			const noSection = await proposeAmendment(
				ctx.db,
				amy,
				amendmentValues({ kind: 'add', clause: '', section: 'gone', text: 'New words.' })
			);
			expect(!noSection.ok && noSection.reason === 'invalid' && noSection.errors.text).toMatch(
				/That section is not in the current version/
			);
			const same = await proposeAmendment(
				ctx.db,
				amy,
				amendmentValues({ clause: clause.id, text: clause.body })
			);
			expect(!same.ok && same.reason === 'invalid' && same.errors.text).toMatch(
				/same as the clause/
			);
			for (let i = 0; i < AMENDMENT_RATE.limit; i++)
				await propose(amy, { clause: clause.id, text: `Words ${i}.` });
			const limited = await proposeAmendment(
				ctx.db,
				amy,
				amendmentValues({ clause: clause.id, text: 'More.' })
			);
			expect(!limited.ok && limited.reason).toBe('rate-limited');
		});

		it('refuses amendments and comments from a member a curator has paused, keeping support', async () => {
			const { amy, sam, clause } = await started();
			const id = await propose(sam, { clause: clause.id });
			await ctx.db
				.insertInto('posting_suspension')
				.values({
					id: `pause-${amy.id}`,
					user_id: amy.id,
					ends_at: '2099-01-01T00:00:00.000Z',
					created_by: null,
					created_at: new Date().toISOString()
				})
				.execute();
			const proposed = await proposeAmendment(ctx.db, amy, amendmentValues({ clause: clause.id }));
			expect(!proposed.ok && proposed.reason === 'invalid' && proposed.errors.form).toMatch(
				/^A curator has paused your posting until 1 January 2099/
			);
			const commented = await addComment(ctx.db, amy, id, { body: 'Hello', website: '' });
			expect(!commented.ok && commented.reason === 'invalid' && commented.errors.form).toMatch(
				/paused/
			);
			expect(await supportAmendment(ctx.db, amy, id, true)).toEqual({ ok: true });
		});

		it('lets its author withdraw it, and nobody else', async () => {
			const { amy, sam, curator, clause } = await started();
			const id = await propose(amy, { clause: clause.id });
			await expect(withdrawAmendment(ctx.db, sam, id)).rejects.toThrow(ForbiddenError);
			await expect(withdrawAmendment(ctx.db, curator, id)).rejects.toThrow(ForbiddenError);
			expect(await withdrawAmendment(ctx.db, amy, id)).toEqual({ ok: true });
			const twice = await withdrawAmendment(ctx.db, amy, id);
			expect(!twice.ok && twice.reason === 'invalid' && twice.errors.form).toMatch(
				/already withdrawn/
			);
		});

		it('takes one support per person, and support can be taken back', async () => {
			const { amy, sam, clause } = await started();
			const id = await propose(amy, { clause: clause.id });
			await supportAmendment(ctx.db, sam, id, true);
			await supportAmendment(ctx.db, sam, id, true);
			expect((await viewAmendment(ctx.db, sam, id))!.supporters.map((s) => s.name)).toEqual([
				'Sam Supporter'
			]);
			expect((await viewAmendment(ctx.db, sam, id))!.supported).toBe(true);
			await supportAmendment(ctx.db, sam, id, false);
			expect((await viewAmendment(ctx.db, sam, id))!.supporters).toEqual([]);
			await expect(supportAmendment(ctx.db, null, id, true)).rejects.toThrow(ForbiddenError);
		});

		it('keeps comments sanitised, and lets only their authors change or remove them', async () => {
			const { amy, sam, clause } = await started();
			const id = await propose(amy, { clause: clause.id });
			const c = await addComment(ctx.db, sam, id, {
				body: 'Yes **please** <script>x()</script>',
				website: ''
			});
			if (!c.ok) throw new Error('not added');
			let view = (await viewAmendment(ctx.db, sam, id))!;
			expect(view.comments[0]!.html).toContain('<strong>please</strong>');
			expect(view.comments[0]!.html).not.toContain('<script');
			expect(view.comments[0]!.mine).toBe(true);
			await expect(editComment(ctx.db, amy, c.id, { body: 'Hijack', website: '' })).rejects.toThrow(
				ForbiddenError
			);
			await expect(deleteComment(ctx.db, amy, c.id)).rejects.toThrow(ForbiddenError);
			await editComment(ctx.db, sam, c.id, { body: 'Yes, please.', website: '' });
			view = (await viewAmendment(ctx.db, sam, id))!;
			expect(view.comments[0]!.body).toBe('Yes, please.');
			expect(view.comments[0]!.edited_at).not.toBeNull();
			await deleteComment(ctx.db, sam, c.id);
			expect((await viewAmendment(ctx.db, sam, id))!.comments).toEqual([]);
			// Once withdrawn (or decided), it takes no more comments.
			expect((await withdrawAmendment(ctx.db, amy, id)).ok).toBe(true);
			expect(await addComment(ctx.db, sam, id, { body: 'Late.', website: '' })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: {
					body: 'This amendment has been decided or withdrawn, so it takes no more comments.'
				}
			});
		});

		it('offers the amendment form on the current version only to people signed in', async () => {
			const { amy, clause } = await started();
			const form = (await amendmentForm(ctx.db, amy, { clause: clause.id }))!;
			expect(form.clause?.body).toBe(clause.body);
			expect(form.version.number).toBe(1);
			await expect(amendmentForm(ctx.db, null, { clause: clause.id })).rejects.toThrow(
				ForbiddenError
			);
		});
	});

	describe('applying', () => {
		it('makes one new version with a package applied, and keeps every version', async () => {
			const { amy, sam, curator, view, statementId } = await started();
			const [c1, c2, c3] = [
				view.sections[0]!.clauses[0]!,
				view.sections[0]!.clauses[1]!,
				view.sections[1]!.clauses[0]!
			];
			const change = await propose(amy, { clause: c1.id });
			const removal = await propose(sam, { kind: 'delete', clause: c2.id, text: '' });
			const after = await propose(amy, {
				kind: 'add',
				clause: c3.id,
				text: 'We start with what matters to people.'
			});
			const atEnd = await propose(sam, {
				kind: 'add',
				clause: '',
				section: view.sections[0]!.id,
				text: 'Nobody is left out.'
			});
			const result = await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [change, removal, after, atEnd],
				decisionId: 'decision-1',
				note: 'Agreed at the November meeting'
			});
			expect(result).toEqual({ ok: true, versionNumber: 2 });
			const now = (await viewStatement(ctx.db, null))!;
			expect(now.version.number).toBe(2);
			expect(now.version.decision_id).toBe('decision-1');
			expect(now.sections[0]!.clauses.map((c) => c.body)).toEqual([
				'People who use services and people who run them design and deliver them together, as equals.',
				'Nobody is left out.'
			]);
			expect(now.sections[1]!.clauses.map((c) => c.body)).toEqual([
				'We share power over decisions from the start.',
				'We start with what matters to people.',
				'We pay people for their time and expertise.',
				'We say what changed because of what people told us.'
			]);
			// The clause kept its identity across versions.
			expect(now.sections[0]!.clauses[0]!.id).toBe(c1.id);
			const a = (await viewAmendment(ctx.db, amy, change))!;
			expect(a.amendment.status).toBe('agreed');
			expect(a.amendment.applied_version_number).toBe(2);
			expect(a.amendment.decision_id).toBe('decision-1');
			const versions = (await listVersions(ctx.db))!;
			expect(versions.versions.map((v) => v.number)).toEqual([2, 1]);
			const audit = await ctx.db
				.selectFrom('audit_log')
				.select('action')
				.where('target_id', '=', statementId)
				.execute();
			expect(audit.map((r) => r.action).sort()).toEqual([
				'statement.amendments_applied',
				'statement.started'
			]);
			const told = await ctx.db
				.selectFrom('notification')
				.select('recipient_id')
				.where('kind', '=', 'statement-amendment')
				.where('recipient_id', 'in', [amy.id, sam.id])
				.execute();
			expect(told.map((t) => t.recipient_id).sort()).toEqual(
				[amy.id, amy.id, sam.id, sam.id].sort()
			);
		});

		it('refuses a member, an amendment already decided, and two changing one clause; nothing changes', async () => {
			const { amy, sam, curator, clause, statementId } = await started();
			const one = await propose(amy, { clause: clause.id });
			const two = await propose(sam, { clause: clause.id, text: 'Other words entirely.' });
			await expect(
				applyAmendments(ctx.db, amy, {
					statementId,
					amendmentIds: [one],
					decisionId: null,
					note: ''
				})
			).rejects.toThrow(ForbiddenError);
			const clash = await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [one, two],
				decisionId: null,
				note: ''
			});
			expect(!clash.ok && clash.reason === 'invalid' && clash.errors.amendmentIds).toMatch(
				/change the same clause/
			);
			expect((await viewStatement(ctx.db, null))!.version.number).toBe(1);
			await declineAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [two],
				decisionId: null,
				note: 'Too broad'
			});
			const again = await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [two],
				decisionId: null,
				note: ''
			});
			expect(!again.ok && again.reason === 'invalid' && again.errors.amendmentIds).toMatch(
				/already been decided \(not agreed\)/
			);
			const view = (await viewAmendment(ctx.db, sam, two))!;
			expect(view.amendment.status).toBe('not-agreed');
			expect(view.amendment.decision_note).toBe('Too broad');
			await expect(
				declineAmendments(ctx.db, sam, {
					statementId,
					amendmentIds: [one],
					decisionId: null,
					note: ''
				})
			).rejects.toThrow(ForbiddenError);
		});

		it('outdates open amendments whose clause changed and carries the others forward', async () => {
			const { amy, sam, curator, view, statementId } = await started();
			const c1 = view.sections[0]!.clauses[0]!;
			const c2 = view.sections[0]!.clauses[1]!;
			const agreed = await propose(amy, { clause: c1.id });
			const rival = await propose(sam, { clause: c1.id, text: 'Rival words.' });
			const other = await propose(sam, { clause: c2.id, text: 'Everyone’s knowledge counts.' });
			await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [agreed],
				decisionId: null,
				note: ''
			});
			expect((await viewAmendment(ctx.db, sam, rival))!.amendment.status).toBe('outdated');
			const carried = (await viewAmendment(ctx.db, sam, other))!;
			expect(carried.amendment.status).toBe('open');
			expect(carried.amendment.version_number).toBe(2);
			expect(
				await applyAmendments(ctx.db, curator, {
					statementId,
					amendmentIds: [other],
					decisionId: null,
					note: ''
				})
			).toEqual({ ok: true, versionNumber: 3 });
			const outdatedTold = await ctx.db
				.selectFrom('notification')
				.select('title')
				.where('recipient_id', '=', sam.id)
				.execute();
			expect(outdatedTold.some((n) => /outdated/.test(n.title))).toBe(true);
		});

		it('lists open amendments for the facilitator only', async () => {
			const { amy, curator, clause } = await started();
			await propose(amy, { clause: clause.id });
			const view = (await facilitationView(ctx.db, curator))!;
			expect(view.open.map((a) => a.where)).toEqual(['Clause 1.1']);
			await expect(facilitationView(ctx.db, amy)).rejects.toThrow(ForbiddenError);
		});
	});

	describe('comparing', () => {
		it('pairs clauses by identity and marks changed, added and removed words', async () => {
			const { amy, curator, view, statementId } = await started();
			const c1 = view.sections[0]!.clauses[0]!;
			const c2 = view.sections[0]!.clauses[1]!;
			const ids = [
				await propose(amy, { clause: c1.id }),
				await propose(amy, { kind: 'delete', clause: c2.id, text: '' }),
				await propose(amy, { kind: 'add', clause: c1.id, text: 'A new clause.' })
			];
			await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: ids,
				decisionId: null,
				note: ''
			});
			const compared = (await compareVersions(ctx.db, 'statement', 1, 2))!;
			expect(compared.changes).toBe(3);
			const rows = compared.sections[0]!.rows;
			// A removed clause shows where it was: after the clause it followed.
			expect(rows.map((r) => r.kind)).toEqual(['changed', 'removed', 'added']);
			expect(rows[0]!.parts).toContainEqual({ kind: 'added', text: 'and deliver ' });
			expect(rows[1]!.fromLabel).toBe('1.2');
			expect(rows[2]!.toLabel).toBe('1.2');
			// Unknown numbers fall back to the newest and the one before.
			const fallback = (await compareVersions(ctx.db, 'statement', 99, undefined))!;
			expect([fallback.from.number, fallback.to.number]).toEqual([1, 2]);
		});
	});

	describe('endorsing', () => {
		it('lets an organisation’s admin endorse for it, and refuses a member or a stranger', async () => {
			const { amy, sam, curator, clause, statementId } = await started();
			const created = await createOrganisation(ctx.db, amy, {
				name: 'Carers Together',
				description: 'A local charity.',
				website: ''
			});
			if (!created.ok) throw new Error('no organisation');
			const orgId = created.organisation.id;
			await ctx.db
				.insertInto('organisation_member')
				.values({
					organisation_id: orgId,
					user_id: sam.id,
					role: 'member',
					joined_at: new Date().toISOString()
				})
				.execute();
			await expect(
				endorseStatement(ctx.db, sam, { onBehalf: orgId, note: '', website: '' })
			).rejects.toThrow(
				'Only an admin of an organisation can endorse the statement on its behalf.'
			);
			await expect(
				endorseStatement(ctx.db, curator, { onBehalf: orgId, note: '', website: '' })
			).rejects.toThrow(ForbiddenError);
			expect(
				await endorseStatement(ctx.db, amy, { onBehalf: orgId, note: 'With pride', website: '' })
			).toEqual({ ok: true, versionNumber: 1 });
			const twice = await endorseStatement(ctx.db, amy, { onBehalf: orgId, note: '', website: '' });
			expect(!twice.ok && twice.reason === 'invalid' && twice.errors.onBehalf).toBe(
				'That organisation has already endorsed version 1.'
			);
			expect(
				await endorseStatement(ctx.db, sam, { onBehalf: 'me', note: '', website: '' })
			).toEqual({ ok: true, versionNumber: 1 });
			await expect(
				endorseStatement(ctx.db, null, { onBehalf: 'me', note: '', website: '' })
			).rejects.toThrow(ForbiddenError);

			let page = (await viewStatement(ctx.db, amy))!;
			expect(page.organisations.map((o) => [o.name, o.versionNumber, o.note])).toEqual([
				['Carers Together', 1, 'With pride']
			]);
			expect(page.people.map((p) => p.name)).toEqual(['Sam Supporter']);
			expect(page.invitations.map((i) => i.key)).toEqual(['me']);

			// A new version: earlier endorsers are invited, and told.
			const id = await propose(sam, { clause: clause.id, version: 1 });
			await applyAmendments(ctx.db, curator, {
				statementId,
				amendmentIds: [id],
				decisionId: null,
				note: ''
			});
			page = (await viewStatement(ctx.db, amy))!;
			expect(page.earlier.map((e) => e.name).sort()).toEqual(['Carers Together', 'Sam Supporter']);
			expect(page.invitations.map((i) => [i.name, i.endorsedVersion])).toEqual([
				['yourself', null],
				['Carers Together', 1]
			]);
			const told = await ctx.db
				.selectFrom('notification')
				.select('recipient_id')
				.where('kind', '=', 'statement-version')
				.where('recipient_id', 'in', [amy.id, sam.id])
				.execute();
			expect(told.map((t) => t.recipient_id).sort()).toEqual([amy.id, sam.id].sort());
			await endorseStatement(ctx.db, amy, { onBehalf: orgId, note: '', website: '' });
			const print = (await viewPrintable(ctx.db))!;
			expect(print.endorsers.map((e) => e.name)).toEqual(['Carers Together']);
		});
	});

	describe('your data', () => {
		it('exports and erases amendments, comments, supports and endorsements', async () => {
			const { amy, sam, curator, clause, statementId } = await started();
			const created = await createOrganisation(ctx.db, sam, {
				name: 'Riverside Trust',
				description: 'A local charity.',
				website: ''
			});
			if (!created.ok) throw new Error('no organisation');
			const open = await propose(sam, { clause: clause.id });
			const other = await propose(amy, { clause: clause.id, text: 'Amy’s words.' });
			await supportAmendment(ctx.db, sam, other, true);
			await addComment(ctx.db, sam, other, { body: 'Good idea', website: '' });
			await endorseStatement(ctx.db, sam, { onBehalf: 'me', note: '', website: '' });
			await endorseStatement(ctx.db, sam, {
				onBehalf: created.organisation.id,
				note: '',
				website: ''
			});
			const data = (await exportPersonData(ctx.db, sam.id))!;
			expect(data.statementAmendmentsYouProposed).toHaveLength(1);
			expect(data.statementCommentsYouWrote).toHaveLength(1);
			expect(data.statementAmendmentsYouSupport).toHaveLength(1);
			expect(data.statementEndorsementsYouSigned).toHaveLength(2);

			// The organisation passes on first (sam is its only member, so it goes) – give it an admin.
			await ctx.db
				.insertInto('organisation_member')
				.values({
					organisation_id: created.organisation.id,
					user_id: curator.id,
					role: 'admin',
					joined_at: '2026-01-01T00:00:00.000Z'
				})
				.execute();
			await deleteAccount(ctx.db, sam.id, { contributions: 'remove' });
			expect(await viewAmendment(ctx.db, amy, open)).toBeUndefined();
			const view = (await viewAmendment(ctx.db, amy, other))!;
			expect(view.comments).toEqual([]);
			expect(view.supporters).toEqual([]);
			const page = (await viewStatement(ctx.db, amy))!;
			expect(page.people).toEqual([]);
			expect(page.organisations.map((o) => [o.name, o.signedBy])).toEqual([
				['Riverside Trust', null]
			]);
			void statementId;
		});

		it('keeps contributions without a name when asked', async () => {
			const { amy, sam, clause } = await started();
			const id = await propose(amy, { clause: clause.id });
			await addComment(ctx.db, amy, id, { body: 'My reasons, longer', website: '' });
			await supportAmendment(ctx.db, amy, id, true);
			await deleteAccount(ctx.db, amy.id, { contributions: 'keep-as-former-member' });
			const view = (await viewAmendment(ctx.db, sam, id))!;
			expect(view.amendment.author_name).toBeNull();
			expect(view.comments[0]!.author_name).toBeNull();
			expect(view.supporters).toEqual([]);
		});
	});
});

describeEachDatabase('the demo statement', (ctx) => {
	it('is in its third version, with endorsements, an open amendment with support, and seeds twice', async () => {
		await seedDemo(ctx.db);
		await seedDemo(ctx.db);
		const admin = await ctx.db
			.selectFrom('app_user')
			.select(['id', 'name', 'email', 'role'])
			.where('email', '=', 'admin@demo.colab.example')
			.executeTakeFirstOrThrow();
		const viewer = { ...admin, role: 'administrator' as const, emailVerified: true };
		const view = (await viewStatement(ctx.db, viewer))!;
		expect(view.version.number).toBe(3);
		expect(view.organisations.length).toBeGreaterThanOrEqual(3);
		expect(view.earlier.some((e) => e.kind === 'organisation')).toBe(true);
		expect(view.openCount).toBe(1);
		const open = (await viewAmendment(ctx.db, viewer, DEMO_OPEN_AMENDMENT_ID))!;
		expect(open.supporters.length).toBeGreaterThanOrEqual(2);
		expect(open.comments.length).toBe(2);
		const compared = (await compareVersions(ctx.db, 'statement', 1, 3))!;
		expect(compared.changes).toBe(3);
	});
});
