import type { Kysely } from 'kysely';
import type { Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { listCodeMemos } from './codebook.memos';
import { findTeamCode, listCodes, teamAccess } from './codebook.service';
import { canWorkOnMaterial } from './enquiries.permissions';
import { PERSPECTIVES, type Perspective } from './enquiries.tables';
import { PERSPECTIVE_LABELS } from './perspectives';

type Db = Kysely<DB>;

/** Excerpts on one page of a code. */
export const CODE_EXCERPTS_PAGE_SIZE = 50;
/** Pairs shown in "codes that appear together". */
export const TOP_PAIRS = 50;

/**
 * A code's page: the code, its memos and one page of its excerpts (speaker as label and
 * perspective, for the team), withdrawn participants left out. Undefined: not there.
 */
export async function viewCode(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	codeId: string,
	page = 1
) {
	const found = await findTeamCode(db, actor, enquiryId, codeId);
	if (!found) return undefined;
	const base = db
		.selectFrom('enquiry_coding as c')
		.innerJoin('enquiry_excerpt as e', 'e.id', 'c.excerpt_id')
		.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
		.where('c.code_id', '=', codeId)
		.where('p.withdrawn_at', 'is', null);
	const [countRow, rows, memos, parent] = await Promise.all([
		base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
		base
			.select([
				'e.id',
				'e.interview_id',
				'e.start_offset',
				'e.end_offset',
				'e.text',
				'p.label',
				'p.perspective'
			])
			.orderBy('c.excerpt_id')
			.limit(CODE_EXCERPTS_PAGE_SIZE)
			.offset((page - 1) * CODE_EXCERPTS_PAGE_SIZE)
			.execute(),
		listCodeMemos(db, codeId),
		found.code.parent_id
			? db
					.selectFrom('enquiry_code')
					.select(['id', 'name'])
					.where('id', '=', found.code.parent_id)
					.executeTakeFirst()
			: undefined
	]);
	const total = Number(countRow?.n ?? 0);
	return {
		enquiry: found.access.enquiry,
		role: found.access.role,
		canWork: canWorkOnMaterial(actor, found.access),
		viewerId: found.access.actor.id,
		code: found.code,
		parent: parent ?? null,
		memos,
		total,
		page,
		totalPages: Math.max(1, Math.ceil(total / CODE_EXCERPTS_PAGE_SIZE)),
		excerpts: rows.map((r) => ({
			...r,
			perspectiveLabel: PERSPECTIVE_LABELS[r.perspective].label,
			href: `/enquiries/${enquiryId}/interviews/${r.interview_id}/code#excerpt-${r.id}`
		}))
	};
}

/**
 * Codes down, perspectives across: excerpts per cell and how many people said them, in one
 * grouped query. Only perspectives someone spoke from get a column.
 */
export async function viewCodesByPerspective(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const [codes, cells] = await Promise.all([
		listCodes(db, enquiryId),
		db
			.selectFrom('enquiry_coding as c')
			.innerJoin('enquiry_excerpt as e', 'e.id', 'c.excerpt_id')
			.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
			.select((eb) => [
				'c.code_id',
				'p.perspective',
				eb.fn.count<string | number>('e.id').as('excerpts'),
				eb.fn.count<string | number>('p.id').distinct().as('people')
			])
			.where('e.enquiry_id', '=', enquiryId)
			.where('p.withdrawn_at', 'is', null)
			.groupBy(['c.code_id', 'p.perspective'])
			.execute()
	]);
	const used = new Set(cells.map((c) => c.perspective));
	const perspectives = PERSPECTIVES.filter((p) => used.has(p)).map((p) => ({
		id: p,
		label: PERSPECTIVE_LABELS[p].label
	}));
	const byCode = new Map<string, Map<Perspective, { excerpts: number; people: number }>>();
	for (const c of cells) {
		const row = byCode.get(c.code_id) ?? new Map();
		row.set(c.perspective, { excerpts: Number(c.excerpts), people: Number(c.people) });
		byCode.set(c.code_id, row);
	}
	return {
		enquiry: access.enquiry,
		role: access.role,
		perspectives,
		rows: codes
			.filter((c) => byCode.has(c.id))
			.map((c) => ({
				id: c.id,
				name: c.name,
				cells: perspectives.map((p) => byCode.get(c.id)?.get(p.id) ?? { excerpts: 0, people: 0 })
			}))
	};
}

/** Pairs of codes on the same excerpt, most frequent first, in one query. */
export async function viewCodePairs(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const pairs = await db
		.selectFrom('enquiry_coding as a')
		.innerJoin('enquiry_coding as b', (j) =>
			j.onRef('b.excerpt_id', '=', 'a.excerpt_id').onRef('b.code_id', '>', 'a.code_id')
		)
		.innerJoin('enquiry_excerpt as e', 'e.id', 'a.excerpt_id')
		.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
		.innerJoin('enquiry_code as ka', 'ka.id', 'a.code_id')
		.innerJoin('enquiry_code as kb', 'kb.id', 'b.code_id')
		.select((eb) => [
			'ka.id as a_id',
			'ka.name as a_name',
			'kb.id as b_id',
			'kb.name as b_name',
			eb.fn.countAll<string | number>().as('n')
		])
		.where('e.enquiry_id', '=', enquiryId)
		.where('p.withdrawn_at', 'is', null)
		.groupBy(['ka.id', 'ka.name', 'kb.id', 'kb.name'])
		.orderBy('n', 'desc')
		.orderBy('ka.name')
		.orderBy('kb.name')
		.limit(TOP_PAIRS)
		.execute();
	return {
		enquiry: access.enquiry,
		role: access.role,
		pairs: pairs.map((p) => ({ ...p, n: Number(p.n) }))
	};
}
