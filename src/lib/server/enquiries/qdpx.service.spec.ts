import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { addMemo } from './codebook.memos';
import { createCode } from './codebook.service';
import { codePassage } from './coding.service';
import {
	insertTestEnquiry,
	insertTestInterview,
	insertTestMember,
	insertTestParticipant
} from './enquiries.testing';
import { exportExcerptsCsv, exportQdpx, guidFor } from './qdpx.service';

const SCHEMA = resolve(process.cwd(), '../shared/standards/refi-qda/Project-mrt2019.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** A minimal reader for the XML we write: elements, attributes, text; no DTDs or CDATA. */
interface El {
	name: string;
	attrs: Record<string, string>;
	children: El[];
	text: string;
}
function unescape(s: string): string {
	return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
		if (e[0] === '#')
			return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
		return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
	});
}
function parseXml(xml: string): El {
	const root: El = { name: '#root', attrs: {}, children: [], text: '' };
	const stack = [root];
	const tag = /<(\/?)([\w:]+)((?:\s+[\w:]+="[^"]*")*)\s*(\/?)>|<\?[^>]*\?>|([^<]+)/g;
	for (const m of xml.matchAll(tag)) {
		const top = stack[stack.length - 1]!;
		if (m[5] !== undefined) {
			top.text += unescape(m[5]);
			continue;
		}
		if (!m[2]) continue;
		if (m[1]) {
			stack.pop();
			continue;
		}
		const attrs: Record<string, string> = {};
		for (const a of (m[3] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)) attrs[a[1]!] = unescape(a[2]!);
		const el: El = { name: m[2], attrs, children: [], text: '' };
		top.children.push(el);
		if (!m[4]) stack.push(el);
	}
	return root.children[0]!;
}
const kids = (el: El | undefined, name: string) =>
	el?.children.filter((c) => c.name === name) ?? [];
const kid = (el: El | undefined, name: string) => kids(el, name)[0];

describe('guids', () => {
	it('are stable and valid UUIDs', () => {
		expect(guidFor('code', 'a')).toBe(guidFor('code', 'a'));
		expect(guidFor('code', 'a')).not.toBe(guidFor('code', 'b'));
		expect(guidFor('code', 'a')).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
		);
	});
});

describeEachDatabase('qdpx and csv exports', (ctx) => {
	async function project() {
		const lead = await createTestUser(ctx.db, { name: 'Lea <Lead> & co' });
		const member = await createTestUser(ctx.db, { name: 'Ivy' });
		const enquiryId = await insertTestEnquiry(ctx.db, lead.id, {
			title: 'What "co-production" means'
		});
		await insertTestMember(ctx.db, enquiryId, member.id);
		const priya = await insertTestParticipant(ctx.db, enquiryId, {
			label: 'Priya',
			perspective: 'carer',
			quote: 'name'
		});
		const quiet = await insertTestParticipant(ctx.db, enquiryId, {
			label: 'Sam Secret',
			perspective: 'nhs-staff',
			quote: 'perspective'
		});
		const gone = await insertTestParticipant(ctx.db, enquiryId, {
			label: 'Gone',
			perspective: 'volunteer',
			quote: 'name'
		});
		const bodies = [
			'We had no time 🙂 at all. =SUM(A1) said the form.\nThen <they> listened & it helped.',
			'Nobody asked us. Staff “gatekeep” everything.'
		];
		const i1 = await insertTestInterview(ctx.db, enquiryId, priya, bodies[0]!, {
			interviewerId: member.id
		});
		const i2 = await insertTestInterview(ctx.db, enquiryId, quiet, bodies[1]!);
		const i3 = await insertTestInterview(
			ctx.db,
			enquiryId,
			gone,
			'Withdrawn words. Never exported.'
		);
		const make = async (name: string, parent = '') => {
			const r = await createCode(ctx.db, member, enquiryId, {
				name,
				description: `About ${name}`,
				parent
			});
			if (!r.ok) throw new Error('refused');
			return r.id;
		};
		const barriers = await make('Barriers');
		const time = await make('Time', barriers);
		const power = await make('Power & <control>', barriers);
		const voice = await make('A voice');
		const c = async (interviewId: string, from: number, to: number, codes: string[]) => {
			const r = await codePassage(ctx.db, member, enquiryId, interviewId, {
				from,
				to,
				codes,
				newCode: ''
			});
			if (!r.ok) throw new Error(JSON.stringify(r));
		};
		await c(i1, 1, 1, [time]);
		await c(i1, 2, 2, [power]);
		await c(i1, 3, 3, [voice, power]);
		await c(i2, 2, 2, [power]);
		await c(i3, 1, 1, [time]);
		await ctx.db
			.updateTable('enquiry_participant')
			.set({ withdrawn_at: new Date().toISOString() })
			.where('id', '=', gone)
			.execute();
		await addMemo(ctx.db, lead, enquiryId, time, 'Time comes up\nwith <carers> & staff');
		return { lead, member, enquiryId, bodies, i1, i2, i3, codes: { barriers, time, power, voice } };
	}

	it('exports a valid REFI-QDA project whose codes, sources and codings round-trip', async () => {
		const p = await project();
		const file = await exportQdpx(ctx.db, p.member, p.enquiryId);
		if (!file) throw new Error('no file');
		// The route streams it: read the stream the way the route does.
		const streamed = await new Response(
			Readable.toWeb(new Readable().wrap(file.stream())) as ReadableStream<Uint8Array>
		).arrayBuffer();
		const zip = await JSZip.loadAsync(streamed);
		const qde = await zip.file('project.qde')!.async('string');
		expect(qde).not.toContain('Withdrawn words');
		expect(qde).not.toMatch(/@example/);

		if (hasXmllint) {
			const dir = mkdtempSync(join(tmpdir(), 'qdpx-'));
			try {
				writeFileSync(join(dir, 'project.qde'), qde);
				execFileSync('xmllint', ['--noout', '--schema', SCHEMA, join(dir, 'project.qde')], {
					stdio: 'pipe'
				});
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		} else if (process.env.CI) {
			throw new Error('xmllint is missing: CI must install libxml2-utils');
		} else {
			console.warn('xmllint is not installed: skipping the REFI-QDA schema check locally');
		}

		const root = parseXml(qde);
		expect(root.name).toBe('Project');
		expect(root.attrs.name).toBe('What "co-production" means');
		// Codes, nested as in the codebook.
		const tree = (el: El): unknown[] => kids(el, 'Code').map((c) => [c.attrs.name, tree(c)]);
		expect(tree(kid(kid(root, 'CodeBook'), 'Codes')!)).toEqual([
			[
				'Barriers',
				[
					['Time', []],
					['Power & <control>', []]
				]
			],
			['A voice', []]
		]);
		// Sources: one per interview still in the enquiry, text in Sources/<guid>.txt.
		const sources = kids(kid(root, 'Sources'), 'TextSource');
		// Interviews written in the same millisecond come in either order: match them by GUID.
		const bodyOf = new Map([
			[guidFor('interview', p.i1), 0],
			[guidFor('interview', p.i2), 1]
		]);
		expect(sources.map((s) => bodyOf.get(s.attrs.guid!)).sort()).toEqual([0, 1]);
		const codeName = new Map(
			[...Object.entries(p.codes)].map(([, id]) => [guidFor('code', id), id])
		);
		const names = new Map<string, string>();
		const walk = (el: El) =>
			kids(el, 'Code').forEach((c) => {
				names.set(c.attrs.guid!, c.attrs.name!);
				walk(c);
			});
		walk(kid(kid(root, 'CodeBook'), 'Codes')!);
		const seen: unknown[] = [];
		for (const s of sources) {
			const n = bodyOf.get(s.attrs.guid!)!;
			expect(s.attrs.plainTextPath).toBe(`internal://${s.attrs.guid}.txt`);
			const text = await zip.file(`Sources/${s.attrs.guid}.txt`)!.async('string');
			expect(text).toBe(p.bodies[n]);
			const chars = [...text];
			for (const sel of kids(s, 'PlainTextSelection')) {
				const words = chars
					.slice(Number(sel.attrs.startPosition), Number(sel.attrs.endPosition))
					.join('');
				const codes = kids(sel, 'Coding')
					.map((c) => names.get(kid(c, 'CodeRef')!.attrs.targetGUID!))
					.sort();
				expect(
					kids(sel, 'Coding').every((c) => codeName.has(kid(c, 'CodeRef')!.attrs.targetGUID!))
				).toBe(true);
				seen.push([n, words, codes]);
			}
		}
		const bySelection = (a: unknown, b: unknown) =>
			JSON.stringify(a).localeCompare(JSON.stringify(b));
		expect(seen.sort(bySelection)).toEqual(
			[
				[0, 'We had no time 🙂 at all.', ['Time']],
				[0, '=SUM(A1) said the form.', ['Power & <control>']],
				[0, 'Then <they> listened & it helped.', ['A voice', 'Power & <control>']],
				[1, 'Staff “gatekeep” everything.', ['Power & <control>']]
			].sort(bySelection)
		);
		// Users who coded or wrote memos; notes for memos, linked from their code.
		expect(
			kids(kid(root, 'Users'), 'User')
				.map((u) => u.attrs.name)
				.sort()
		).toEqual(['Ivy', 'Lea <Lead> & co']);
		const notes = kids(kid(root, 'Notes'), 'Note');
		expect(kid(notes[0], 'PlainTextContent')?.text).toBe('Time comes up\nwith <carers> & staff');
		// Cases: named only with consent; the perspective as a variable.
		const cases = kids(kid(root, 'Cases'), 'Case');
		expect(cases.map((c) => c.attrs.name).sort()).toEqual(['NHS staff', 'Priya']);
		const priyaCase = cases.find((c) => c.attrs.name === 'Priya');
		expect(kid(kid(priyaCase, 'VariableValue'), 'TextValue')?.text).toBe('Carer');
	});

	it('exports the coded passages as CSV, naming speakers only with consent, formulas defused', async () => {
		const p = await project();
		const file = await exportExcerptsCsv(ctx.db, p.member, p.enquiryId);
		const parsed = parseCsv(file!.body);
		if (!parsed.ok) throw new Error(parsed.message);
		const rows = parsed.records.map((r) => r.cells).filter((c) => c.length > 1);
		expect(rows[0]).toEqual([
			'interview',
			'speaker',
			'perspective',
			'codes',
			'text',
			'start',
			'end'
		]);
		expect(
			rows
				.slice(1)
				.map((r) => [r[1], r[2], r[3], r[4]])
				.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))
		).toEqual([
			['NHS staff', 'NHS staff', 'Power & <control>', 'Staff “gatekeep” everything.'],
			['Priya', 'Carer', 'Time', 'We had no time 🙂 at all.'],
			['Priya', 'Carer', 'Power & <control>', "'=SUM(A1) said the form."],
			['Priya', 'Carer', 'A voice; Power & <control>', 'Then <they> listened & it helped.']
		]);
		expect(file!.body).not.toContain('Sam Secret');
		expect(file!.body).not.toContain('Withdrawn');
	});

	it('refuses exports to anyone outside the team, even an administrator', async () => {
		const p = await project();
		const outsider = await createTestUser(ctx.db);
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		for (const who of [null, outsider, admin]) {
			await expect(exportQdpx(ctx.db, who, p.enquiryId)).rejects.toThrow(ForbiddenError);
			await expect(exportExcerptsCsv(ctx.db, who, p.enquiryId)).rejects.toThrow(ForbiddenError);
		}
		expect(await exportQdpx(ctx.db, p.member, 'no-such-enquiry')).toBeUndefined();
	});
});
