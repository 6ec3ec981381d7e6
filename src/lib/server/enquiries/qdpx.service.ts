import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { csvCell } from '../csv';
import { buildTree, listCodes, teamAccess, type CodeNode } from './codebook.service';
import type { Perspective, QuoteConsent } from './enquiries.tables';
import { PERSPECTIVE_LABELS } from './perspectives';

type Db = Kysely<DB>;

/**
 * A stable GUID for a row, as REFI-QDA wants them (8-4-4-4-12 hex): a name-based UUID (version
 * 5 layout) from the kind and id, so the same project exports with the same GUIDs every time.
 */
export function guidFor(kind: string, id: string): string {
	const h = createHash('sha1').update(`colab:${kind}:${id}`).digest();
	h[6] = (h[6]! & 0x0f) | 0x50;
	h[8] = (h[8]! & 0x3f) | 0x80;
	const x = h.subarray(0, 16).toString('hex');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

// Characters XML 1.0 cannot hold at all become U+FFFD; the rest is escaped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export function xmlText(text: string): string {
	return text
		.replace(NOT_XML, '\uFFFD')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/\r/g, '&#13;');
}
export function xmlAttr(text: string): string {
	return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/**
 * REFI-QDA counts positions in characters (code points); JavaScript strings count UTF-16 units.
 * The same for text without characters outside the Basic Multilingual Plane (most text).
 */
export function toCodePoints(body: string, offset: number): number {
	if (!/[\uD800-\uDFFF]/.test(body)) return offset;
	return [...body.slice(0, offset)].length;
}

/** The speaker of an excerpt outside the team's screens: a name only with consent to be named. */
export function speakerFor(p: {
	label: string;
	perspective: Perspective;
	consent_quote: QuoteConsent;
}) {
	return p.consent_quote === 'name' ? p.label : PERSPECTIVE_LABELS[p.perspective].label;
}

async function exportData(db: Db, enquiryId: string) {
	const [codes, interviews, codings, memos] = await Promise.all([
		listCodes(db, enquiryId),
		db
			.selectFrom('enquiry_interview as i')
			.innerJoin('enquiry_participant as p', 'p.id', 'i.participant_id')
			.select([
				'i.id',
				'i.title',
				'i.body',
				'i.created_at',
				'i.updated_at',
				'p.id as participant_id',
				'p.label',
				'p.perspective',
				'p.consent_quote'
			])
			.where('i.enquiry_id', '=', enquiryId)
			.where('p.withdrawn_at', 'is', null)
			.orderBy('i.created_at')
			.orderBy('i.id')
			.execute(),
		db
			.selectFrom('enquiry_excerpt as e')
			.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
			.innerJoin('enquiry_coding as c', 'c.excerpt_id', 'e.id')
			.leftJoin('app_user as u', 'u.id', 'c.coded_by')
			.select([
				'e.id',
				'e.interview_id',
				'e.start_offset',
				'e.end_offset',
				'e.text',
				'e.created_at',
				'c.code_id',
				'c.coded_by',
				'c.coded_at',
				'u.name as coder'
			])
			.where('e.enquiry_id', '=', enquiryId)
			.where('p.withdrawn_at', 'is', null)
			.orderBy('e.interview_id')
			.orderBy('e.start_offset')
			.orderBy('e.id')
			.execute(),
		db
			.selectFrom('enquiry_memo as m')
			.leftJoin('app_user as u', 'u.id', 'm.author_id')
			.select(['m.id', 'm.code_id', 'm.body', 'm.author_id', 'u.name as author', 'm.created_at'])
			.where('m.enquiry_id', '=', enquiryId)
			.orderBy('m.created_at')
			.execute()
	]);
	return { codes, interviews, codings, memos };
}

/**
 * The enquiry as a REFI-QDA project (`.qdpx`) for NVivo, ATLAS.ti or MAXQDA: `project.qde` with
 * the users who coded, the codebook (nested), a Perspective variable and a case per participant,
 * each interview as a TextSource whose text is `Sources/<guid>.txt` (the standard’s folder), its coded passages as
 * PlainTextSelections with Codings, and memos as Notes. Team only; withdrawn people left out.
 */
export async function exportQdpx(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const { codes, interviews, codings, memos } = await exportData(db, enquiryId);
	const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
	const dt = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const zip = new JSZip();
	const out: string[] = [];
	const users = new Map<string, string>();
	for (const c of codings) if (c.coded_by) users.set(c.coded_by, c.coder ?? 'A former member');
	for (const m of memos) if (m.author_id) users.set(m.author_id, m.author ?? 'A former member');
	const me = guidFor('user', access.actor.id);
	users.set(access.actor.id, users.get(access.actor.id) ?? access.actor.name);

	out.push('<?xml version="1.0" encoding="utf-8"?>\n');
	out.push(
		`<Project xmlns="urn:QDA-XML:project:1.0" name="${xmlAttr(access.enquiry.title)}" origin="CoLab" creatingUserGUID="${me}" creationDateTime="${now}">\n`
	);
	out.push('<Users>\n');
	for (const [id, name] of users)
		out.push(`<User guid="${guidFor('user', id)}" name="${xmlAttr(name)}"/>\n`);
	out.push('</Users>\n');

	const memosByCode = new Map<string, string[]>();
	for (const m of memos)
		if (m.code_id) memosByCode.set(m.code_id, [...(memosByCode.get(m.code_id) ?? []), m.id]);
	if (codes.length) {
		const writeCode = (node: CodeNode) => {
			out.push(
				`<Code guid="${guidFor('code', node.id)}" name="${xmlAttr(node.name)}" isCodable="true">`
			);
			if (node.description) out.push(`<Description>${xmlText(node.description)}</Description>`);
			for (const memoId of memosByCode.get(node.id) ?? [])
				out.push(`<NoteRef targetGUID="${guidFor('memo', memoId)}"/>`);
			out.push('\n');
			node.children.forEach(writeCode);
			out.push('</Code>\n');
		};
		out.push('<CodeBook><Codes>\n');
		buildTree(codes, new Map()).forEach(writeCode);
		out.push('</Codes></CodeBook>\n');
	}

	const perspectiveVar = guidFor('variable', `${enquiryId}:perspective`);
	if (interviews.length) {
		out.push(
			`<Variables><Variable guid="${perspectiveVar}" name="Perspective" typeOfVariable="Text"/></Variables>\n`
		);
		const byParticipant = new Map<string, typeof interviews>();
		for (const i of interviews)
			byParticipant.set(i.participant_id, [...(byParticipant.get(i.participant_id) ?? []), i]);
		out.push('<Cases>\n');
		for (const [pid, list] of byParticipant) {
			const p = list[0]!;
			out.push(`<Case guid="${guidFor('participant', pid)}" name="${xmlAttr(speakerFor(p))}">`);
			out.push(
				`<VariableValue><VariableRef targetGUID="${perspectiveVar}"/><TextValue>${xmlText(PERSPECTIVE_LABELS[p.perspective].label)}</TextValue></VariableValue>`
			);
			for (const i of list) out.push(`<SourceRef targetGUID="${guidFor('interview', i.id)}"/>`);
			out.push('</Case>\n');
		}
		out.push('</Cases>\n');

		const codingsOf = new Map<string, typeof codings>();
		for (const c of codings) {
			const list = codingsOf.get(c.interview_id);
			if (list) list.push(c);
			else codingsOf.set(c.interview_id, [c]);
		}
		out.push('<Sources>\n');
		for (const interview of interviews) {
			const guid = guidFor('interview', interview.id);
			zip.file(`Sources/${guid}.txt`, interview.body);
			out.push(
				`<TextSource guid="${guid}" name="${xmlAttr(interview.title)}" plainTextPath="internal://${guid}.txt" creationDateTime="${dt(interview.created_at)}" modifiedDateTime="${dt(interview.updated_at)}">\n`
			);
			const mine = codingsOf.get(interview.id) ?? [];
			for (let k = 0; k < mine.length;) {
				const e = mine[k]!;
				out.push(
					`<PlainTextSelection guid="${guidFor('excerpt', e.id)}" name="${xmlAttr(e.text.slice(0, 60))}" startPosition="${toCodePoints(interview.body, e.start_offset)}" endPosition="${toCodePoints(interview.body, e.end_offset)}" creationDateTime="${dt(e.created_at)}">`
				);
				for (; k < mine.length && mine[k]!.id === e.id; k++) {
					const c = mine[k]!;
					out.push(
						`<Coding guid="${guidFor('coding', `${c.id}:${c.code_id}`)}"${c.coded_by ? ` creatingUser="${guidFor('user', c.coded_by)}"` : ''} creationDateTime="${dt(c.coded_at)}"><CodeRef targetGUID="${guidFor('code', c.code_id)}"/></Coding>`
					);
				}
				out.push('</PlainTextSelection>\n');
			}
			out.push('</TextSource>\n');
		}
		out.push('</Sources>\n');
	}
	if (memos.length) {
		out.push('<Notes>\n');
		for (const m of memos)
			out.push(
				`<Note guid="${guidFor('memo', m.id)}" name="Memo"${m.author_id ? ` creatingUser="${guidFor('user', m.author_id)}"` : ''} creationDateTime="${dt(m.created_at)}"><PlainTextContent>${xmlText(m.body)}</PlainTextContent></Note>\n`
			);
		out.push('</Notes>\n');
	}
	out.push('</Project>\n');
	zip.file('project.qde', out.join(''));
	return {
		filename: `${slug(access.enquiry.title)}.qdpx`,
		stream: () =>
			zip.generateNodeStream({
				type: 'nodebuffer',
				streamFiles: true,
				compression: 'DEFLATE',
				compressionOptions: { level: 6 }
			}),
		buffer: () => zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
	};
}

function slug(title: string): string {
	return (
		title
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 60) || 'enquiry'
	);
}

export const CSV_COLUMNS = ['interview', 'speaker', 'perspective', 'codes', 'text', 'start', 'end'];

/**
 * Every coded excerpt as CSV, one row each: the speaker named only with consent to be named
 * (otherwise their perspective), withdrawn people left out, cells safe from spreadsheet formulas.
 */
export async function exportExcerptsCsv(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const rows = await db
		.selectFrom('enquiry_excerpt as e')
		.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
		.innerJoin('enquiry_interview as i', 'i.id', 'e.interview_id')
		.innerJoin('enquiry_coding as c', 'c.excerpt_id', 'e.id')
		.innerJoin('enquiry_code as k', 'k.id', 'c.code_id')
		.select([
			'e.id',
			'i.title',
			'p.label',
			'p.perspective',
			'p.consent_quote',
			'e.text',
			'e.start_offset',
			'e.end_offset',
			'k.name as code'
		])
		.where('e.enquiry_id', '=', enquiryId)
		.where('p.withdrawn_at', 'is', null)
		.orderBy('i.created_at')
		.orderBy('e.interview_id')
		.orderBy('e.start_offset')
		.orderBy('e.id')
		.orderBy('k.name')
		.execute();
	const lines = [CSV_COLUMNS.join(',')];
	for (let k = 0; k < rows.length;) {
		const r = rows[k]!;
		const names: string[] = [];
		for (; k < rows.length && rows[k]!.id === r.id; k++) names.push(rows[k]!.code);
		lines.push(
			[
				r.title,
				speakerFor(r),
				PERSPECTIVE_LABELS[r.perspective].label,
				names.join('; '),
				r.text,
				r.start_offset,
				r.end_offset
			]
				.map(csvCell)
				.join(',')
		);
	}
	return {
		filename: `${slug(access.enquiry.title)}-excerpts.csv`,
		body: `${lines.join('\r\n')}\r\n`
	};
}
