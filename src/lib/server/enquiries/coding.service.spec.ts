import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { exportPersonData } from '../your-data/your-data.service';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { changeOwnMemo, addMemo } from './codebook.memos';
import {
	createCode,
	deleteCode,
	mergeCode,
	seedCodebook,
	updateCode,
	viewCodebook
} from './codebook.service';
import { SEED_CODEBOOK } from './codebook.seed';
import {
	codePassage,
	deleteExcerpt,
	removeCodeFromExcerpt,
	viewInterviewCoding
} from './coding.service';
import { splitSentences } from './coding.segment';
import { viewCode, viewCodePairs, viewCodesByPerspective } from './coding.views';
import {
	insertTestEnquiry,
	insertTestInterview,
	insertTestMember,
	insertTestParticipant
} from './enquiries.testing';

const BODY = 'We never had the time.  Nobody asked us!\nThen the council listened. It felt good.';

describe('sentences', () => {
	it('split on sentence ends and line breaks, keeping exact offsets', () => {
		const s = splitSentences(BODY);
		expect(s.map((x) => x.text)).toEqual([
			'We never had the time.',
			'Nobody asked us!',
			'Then the council listened.',
			'It felt good.'
		]);
		for (const x of s) expect(BODY.slice(x.start, x.end)).toBe(x.text);
		expect(splitSentences('  \n \n')).toEqual([]);
	});
});

describeEachDatabase('coding', (ctx) => {
	async function setup() {
		const lead = await createTestUser(ctx.db, { name: 'Lea Lead' });
		const member = await createTestUser(ctx.db, { name: 'Ivy Interviewer' });
		const outsider = await createTestUser(ctx.db);
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		const enquiryId = await insertTestEnquiry(ctx.db, lead.id);
		await insertTestMember(ctx.db, enquiryId, member.id);
		const participantId = await insertTestParticipant(ctx.db, enquiryId, { perspective: 'carer' });
		const interviewId = await insertTestInterview(ctx.db, enquiryId, participantId, BODY);
		return { lead, member, outsider, admin, enquiryId, participantId, interviewId };
	}
	const code = async (
		db: typeof ctx.db,
		actor: { id: string },
		enquiryId: string,
		name: string,
		parent = ''
	) => {
		const r = await createCode(db, actor as never, enquiryId, { name, description: '', parent });
		if (!r.ok) throw new Error(JSON.stringify(r));
		return r.id;
	};
	const passage = (o: Partial<Parameters<typeof codePassage>[4]>) => ({
		codes: [],
		newCode: '',
		...o
	});

	it('keeps code names unique whatever their case, nests codes and refuses loops', async () => {
		const { member, enquiryId } = await setup();
		const barriers = await code(ctx.db, member, enquiryId, 'Barriers');
		const time = await code(ctx.db, member, enquiryId, 'Time', barriers);
		const dup = await createCode(ctx.db, member, enquiryId, {
			name: 'time',
			description: '',
			parent: ''
		});
		expect(dup).toMatchObject({
			ok: false,
			errors: { name: expect.stringMatching(/already a code/) }
		});
		const loop = await updateCode(ctx.db, member, enquiryId, barriers, {
			name: 'Barriers',
			description: '',
			parent: time
		});
		expect(loop).toMatchObject({
			ok: false,
			errors: { parent: expect.stringMatching(/cannot sit under itself/) }
		});
		const self = await updateCode(ctx.db, member, enquiryId, time, {
			name: 'Time',
			description: '',
			parent: time
		});
		expect(self.ok).toBe(false);
		const renamed = await updateCode(ctx.db, member, enquiryId, time, {
			name: 'Lack of time',
			description: 'd',
			parent: barriers
		});
		expect(renamed.ok).toBe(true);
		const book = await viewCodebook(ctx.db, member, enquiryId);
		expect(book?.tree.map((n) => [n.name, n.children.map((c) => c.name)])).toEqual([
			['Barriers', ['Lack of time']]
		]);
	});

	it('seeds the benefit and barrier themes once', async () => {
		const { lead, enquiryId } = await setup();
		const seeded = await seedCodebook(ctx.db, lead, enquiryId);
		expect(seeded).toEqual({
			ok: true,
			added: 2 + SEED_CODEBOOK[0]!.children.length + SEED_CODEBOOK[1]!.children.length
		});
		expect(await seedCodebook(ctx.db, lead, enquiryId)).toEqual({ ok: false, reason: 'not-empty' });
		const book = await viewCodebook(ctx.db, lead, enquiryId);
		expect(book?.tree.map((n) => n.name)).toEqual(['Benefits', 'Barriers']);
		expect(book?.tree[1]?.children.map((c) => c.name)).toContain('"what is in it for us"');
	});

	it('codes a passage by sentences or exact offsets; refuses empty, out-of-range and overlapping ones', async () => {
		const { member, enquiryId, interviewId } = await setup();
		const time = await code(ctx.db, member, enquiryId, 'Time');
		const bySentence = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 1, to: 2, codes: [time] })
		);
		expect(bySentence.ok).toBe(true);
		const page = await viewInterviewCoding(ctx.db, member, enquiryId, interviewId);
		expect(page?.excerpts).toMatchObject([
			{ text: 'We never had the time.  Nobody asked us!', codes: [{ name: 'Time' }] }
		]);
		// The same range adds codes to the excerpt (a new code typed is created).
		const same = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ start: 0, end: 41, newCode: 'Not asked' })
		);
		expect(same).toMatchObject({ ok: true, added: 1 });
		expect(
			(await viewInterviewCoding(ctx.db, member, enquiryId, interviewId))?.excerpts
		).toHaveLength(1);
		const overlap = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ start: 24, end: 60, codes: [time] })
		);
		expect(overlap).toMatchObject({
			ok: false,
			errors: { from: expect.stringMatching(/overlaps one already coded: “We never had/) }
		});
		const blank = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ start: 22, end: 24, codes: [time] })
		);
		expect(blank).toMatchObject({
			ok: false,
			errors: { from: expect.stringMatching(/only spaces/) }
		});
		const outside = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ start: 70, end: 900, codes: [time] })
		);
		expect(outside).toMatchObject({
			ok: false,
			errors: { from: expect.stringMatching(/not inside/) }
		});
		const backwards = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 3, to: 1, codes: [time] })
		);
		expect(backwards).toMatchObject({ ok: false, errors: { to: expect.any(String) } });
		const noCode = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 3, to: 3 })
		);
		expect(noCode).toMatchObject({ ok: false, errors: { codes: expect.any(String) } });
		// Trimmed to the words.
		const trimmed = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ start: 40, end: 68, codes: [time] })
		);
		expect(trimmed.ok).toBe(true);
		const after = await viewInterviewCoding(ctx.db, member, enquiryId, interviewId);
		expect(after?.excerpts[1]?.text).toBe('Then the council listened.');
		expect(after?.excerpts[1]?.start).toBe(41);
	});

	it('merges X into Y, and tells someone still coding with X where it went', async () => {
		const { member, lead, enquiryId, interviewId } = await setup();
		const x = await code(ctx.db, member, enquiryId, 'No time');
		const y = await code(ctx.db, member, enquiryId, 'Time');
		const child = await code(ctx.db, member, enquiryId, 'Evenings', x);
		await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 1, to: 1, codes: [x, y] })
		);
		await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 2, to: 2, codes: [x] })
		);
		const memo = await addMemo(ctx.db, lead, enquiryId, x, 'Often about evenings');
		expect(memo.ok).toBe(true);
		expect(await mergeCode(ctx.db, lead, enquiryId, x, x)).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		expect(await mergeCode(ctx.db, lead, enquiryId, x, child)).toMatchObject({
			ok: false,
			reason: 'invalid'
		});
		expect(await mergeCode(ctx.db, lead, enquiryId, x, y)).toEqual({ ok: true, id: y });
		const seen = await viewCode(ctx.db, member, enquiryId, y);
		expect(seen?.total).toBe(2);
		expect(seen?.memos.map((m) => m.body)).toEqual(['Often about evenings']);
		const book = await viewCodebook(ctx.db, member, enquiryId);
		expect(book?.tree.find((n) => n.id === y)?.children.map((c) => c.name)).toEqual(['Evenings']);
		const late = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 4, to: 4, codes: [x] })
		);
		expect(late).toMatchObject({
			ok: false,
			errors: { codes: 'The code “No time” was merged into “Time”. Choose the codes again.' }
		});
		expect(await viewCode(ctx.db, member, enquiryId, x)).toBeUndefined();
	});

	it('removes codes and excerpts, deletes a code with its codings', async () => {
		const { member, enquiryId, interviewId } = await setup();
		const a = await code(ctx.db, member, enquiryId, 'A');
		const b = await code(ctx.db, member, enquiryId, 'B');
		const r = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 1, to: 1, codes: [a, b] })
		);
		if (!r.ok) throw new Error('refused');
		await removeCodeFromExcerpt(ctx.db, member, enquiryId, interviewId, r.excerptId, a);
		expect(
			(await viewInterviewCoding(ctx.db, member, enquiryId, interviewId))?.excerpts[0]?.codes
		).toEqual([{ id: b, name: 'B' }]);
		await deleteCode(ctx.db, member, enquiryId, b);
		expect((await viewInterviewCoding(ctx.db, member, enquiryId, interviewId))?.excerpts).toEqual(
			[]
		);
		const r2 = await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 2, to: 2, codes: [a] })
		);
		if (!r2.ok) throw new Error('refused');
		expect(await deleteExcerpt(ctx.db, member, enquiryId, interviewId, r2.excerptId)).toEqual({
			ok: true
		});
	});

	it('shows views by perspective and pairs, leaving out withdrawn participants', async () => {
		const { member, enquiryId, interviewId } = await setup();
		const a = await code(ctx.db, member, enquiryId, 'A');
		const b = await code(ctx.db, member, enquiryId, 'B');
		await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 1, to: 1, codes: [a, b] })
		);
		const gone = await insertTestParticipant(ctx.db, enquiryId, { perspective: 'nhs-staff' });
		const goneInterview = await insertTestInterview(ctx.db, enquiryId, gone, BODY);
		await codePassage(
			ctx.db,
			member,
			enquiryId,
			goneInterview,
			passage({ from: 1, to: 1, codes: [a, b] })
		);
		await ctx.db
			.updateTable('enquiry_participant')
			.set({ withdrawn_at: new Date().toISOString() })
			.where('id', '=', gone)
			.execute();
		const book = await viewCodebook(ctx.db, member, enquiryId);
		expect(book?.tree.map((n) => [n.name, n.count])).toEqual([
			['A', 1],
			['B', 1]
		]);
		const table = await viewCodesByPerspective(ctx.db, member, enquiryId);
		expect(table?.perspectives.map((p) => p.id)).toEqual(['carer']);
		expect(table?.rows).toEqual([
			{ id: a, name: 'A', cells: [{ excerpts: 1, people: 1 }] },
			{ id: b, name: 'B', cells: [{ excerpts: 1, people: 1 }] }
		]);
		const pairs = await viewCodePairs(ctx.db, member, enquiryId);
		expect(pairs?.pairs.map((p) => [p.a_name, p.b_name, p.n].sort())).toEqual([[1, 'A', 'B']]);
		expect(
			(await viewCode(ctx.db, member, enquiryId, a))?.excerpts.map((e) => e.perspectiveLabel)
		).toEqual(['Carer']);
		expect(await viewInterviewCoding(ctx.db, member, enquiryId, goneInterview)).toBeUndefined();
		const refused = await codePassage(
			ctx.db,
			member,
			enquiryId,
			goneInterview,
			passage({ from: 2, to: 2, codes: [a] })
		);
		expect(refused).toEqual({ ok: false, reason: 'nothing-to-code' });
	});

	it('refuses everyone outside the team, reading and writing, even administrators', async () => {
		const { member, outsider, admin, enquiryId, interviewId } = await setup();
		const a = await code(ctx.db, member, enquiryId, 'A');
		const memo = await addMemo(ctx.db, member, enquiryId, a, 'Mine');
		if (!memo.ok) throw new Error('refused');
		for (const who of [null, outsider, admin]) {
			await expect(viewCodebook(ctx.db, who, enquiryId)).rejects.toThrow(ForbiddenError);
			await expect(viewCode(ctx.db, who, enquiryId, a)).rejects.toThrow(ForbiddenError);
			await expect(viewInterviewCoding(ctx.db, who, enquiryId, interviewId)).rejects.toThrow(
				ForbiddenError
			);
			await expect(viewCodesByPerspective(ctx.db, who, enquiryId)).rejects.toThrow(ForbiddenError);
			await expect(viewCodePairs(ctx.db, who, enquiryId)).rejects.toThrow(ForbiddenError);
			await expect(
				createCode(ctx.db, who, enquiryId, { name: 'X', description: '', parent: '' })
			).rejects.toThrow(ForbiddenError);
			await expect(mergeCode(ctx.db, who, enquiryId, a, a)).rejects.toThrow(ForbiddenError);
			await expect(deleteCode(ctx.db, who, enquiryId, a)).rejects.toThrow(ForbiddenError);
			await expect(seedCodebook(ctx.db, who, enquiryId)).rejects.toThrow(ForbiddenError);
			await expect(
				codePassage(ctx.db, who, enquiryId, interviewId, passage({ from: 1, to: 1, codes: [a] }))
			).rejects.toThrow(ForbiddenError);
			await expect(addMemo(ctx.db, who, enquiryId, a, 'x')).rejects.toThrow(ForbiddenError);
		}
		// Memos: any team member reads them, only their author changes them.
		const { lead } = await setup();
		expect(await changeOwnMemo(ctx.db, member, enquiryId, memo.id, 'Changed')).toEqual({
			ok: true
		});
		const otherEnquiryLead = lead;
		await expect(changeOwnMemo(ctx.db, otherEnquiryLead, enquiryId, memo.id, null)).rejects.toThrow(
			ForbiddenError
		);
		const colleague = await createTestUser(ctx.db);
		await insertTestMember(ctx.db, enquiryId, colleague.id);
		expect(await changeOwnMemo(ctx.db, colleague, enquiryId, memo.id, null)).toEqual({
			ok: false,
			reason: 'not-yours'
		});
		expect(await changeOwnMemo(ctx.db, member, enquiryId, memo.id, null)).toEqual({ ok: true });
	});

	it('puts the passages a person coded and their memos in their download', async () => {
		const { member, enquiryId, interviewId } = await setup();
		const a = await code(ctx.db, member, enquiryId, 'A');
		await codePassage(
			ctx.db,
			member,
			enquiryId,
			interviewId,
			passage({ from: 3, to: 3, codes: [a] })
		);
		await addMemo(ctx.db, member, enquiryId, a, 'My memo');
		const data = (await exportPersonData(ctx.db, member.id)) as Record<string, unknown> | undefined;
		expect(data?.enquiryExcerptsYouCoded).toMatchObject([{ text: 'Then the council listened.' }]);
		expect(data?.enquiryMemosYouWrote).toMatchObject([{ body: 'My memo', code: 'A' }]);
	});
});
