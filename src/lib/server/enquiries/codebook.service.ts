import { sql, type Kysely, type Transaction } from 'kysely';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { Refusal, refusable } from '../refusals';
import { findEnquiryAccess } from './enquiries.access';
import { canSeeRawMaterial, canWorkOnMaterial, type EnquiryAccess } from './enquiries.permissions';
import type { Enquiry, EnquiryCode } from './enquiries.tables';
import type { CodeInput } from './codebook.schema';
import { SEED_CODEBOOK } from './codebook.seed';

type Db = Kysely<DB> | Transaction<DB>;

export const TEAM_ONLY = 'Only the enquiry’s team can see or work on what people said.';
export const TEAM_ONLY_WRITE =
	'Only the enquiry’s team can change its codes, while the raw material is kept.';

export type TeamAccess = EnquiryAccess & { enquiry: Enquiry; actor: SessionUser };

/**
 * The enquiry and the person's place on its team; refuses anyone outside the team (403), and
 * for `write` anyone once the raw material is deleted. Undefined: no such enquiry.
 */
export async function teamAccess(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	need: 'read' | 'write'
): Promise<TeamAccess | undefined> {
	const access = await findEnquiryAccess(
		db as Kysely<DB>,
		enquiryId,
		isPerson(actor) ? actor.id : null
	);
	if (!access) return undefined;
	if (need === 'read') assertCan(canSeeRawMaterial(actor, access), TEAM_ONLY);
	else assertCan(canWorkOnMaterial(actor, access), TEAM_ONLY_WRITE);
	return { ...access, actor };
}

export interface CodeNode extends EnquiryCode {
	count: number;
	depth: number;
	children: CodeNode[];
}

/**
 * Excerpts per code. Read from the coding index alone (no join per coding: the overview of an
 * enquiry with 20,000 excerpts stays fast), then the words of withdrawn participants taken off
 * by a second grouped query, which finds nothing unless someone withdrew and their interviews
 * are still there.
 */
export async function countExcerptsByCode(db: Db, enquiryId: string): Promise<Map<string, number>> {
	const [all, withdrawn] = await Promise.all([
		db
			.selectFrom('enquiry_coding as c')
			.select(['c.code_id', (eb) => eb.fn.countAll<string | number>().as('n')])
			.where('c.code_id', 'in', (eb) =>
				eb.selectFrom('enquiry_code').select('id').where('enquiry_id', '=', enquiryId)
			)
			.groupBy('c.code_id')
			.execute(),
		db
			.selectFrom('enquiry_participant as p')
			.innerJoin('enquiry_excerpt as e', 'e.participant_id', 'p.id')
			.innerJoin('enquiry_coding as c', 'c.excerpt_id', 'e.id')
			.select(['c.code_id', (eb) => eb.fn.countAll<string | number>().as('n')])
			.where('p.enquiry_id', '=', enquiryId)
			.where('p.withdrawn_at', 'is not', null)
			.groupBy('c.code_id')
			.execute()
	]);
	const counts = new Map(all.map((r) => [r.code_id, Number(r.n)]));
	for (const r of withdrawn) counts.set(r.code_id, (counts.get(r.code_id) ?? 0) - Number(r.n));
	return counts;
}

export async function listCodes(db: Db, enquiryId: string): Promise<EnquiryCode[]> {
	return db
		.selectFrom('enquiry_code')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.orderBy('position')
		.orderBy('name')
		.execute();
}

/** The codes as a tree (parents before children, each level by position then name). */
export function buildTree(codes: EnquiryCode[], counts: Map<string, number>): CodeNode[] {
	const nodes = new Map<string, CodeNode>(
		codes.map((c) => [c.id, { ...c, count: counts.get(c.id) ?? 0, depth: 0, children: [] }])
	);
	const roots: CodeNode[] = [];
	for (const node of nodes.values()) {
		const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
		if (parent) parent.children.push(node);
		else roots.push(node);
	}
	const setDepth = (list: CodeNode[], depth: number) => {
		for (const n of list) {
			n.depth = depth;
			setDepth(n.children, depth + 1);
		}
	};
	setDepth(roots, 0);
	return roots;
}

/** The tree flattened in reading order, for selects ("— Time" under "Barriers"). */
export function flattenTree(tree: CodeNode[]): CodeNode[] {
	const out: CodeNode[] = [];
	const walk = (list: CodeNode[]) => {
		for (const n of list) {
			out.push(n);
			walk(n.children);
		}
	};
	walk(tree);
	return out;
}

/** The enquiry's codebook for its team: the nested codes with how many excerpts each has. */
export async function viewCodebook(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const [codes, counts] = await Promise.all([
		listCodes(db, enquiryId),
		countExcerptsByCode(db, enquiryId)
	]);
	return {
		enquiry: access.enquiry,
		role: access.role,
		canWork: canWorkOnMaterial(actor, access),
		tree: buildTree(codes, counts),
		total: codes.length
	};
}

export type CodeFailure =
	{ ok: false; reason: 'invalid'; errors: FieldErrors } | { ok: false; reason: 'not-found' };

async function findCode(db: Db, enquiryId: string, codeId: string) {
	return db
		.selectFrom('enquiry_code')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('id', '=', codeId)
		.executeTakeFirst();
}

/** A code of the enquiry, for the team; undefined when the enquiry or the code is not there. */
export async function findTeamCode(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string,
	codeId: string,
	need: 'read' | 'write' = 'read'
) {
	const access = await teamAccess(db, actor, enquiryId, need);
	if (!access) return undefined;
	const code = await findCode(db, enquiryId, codeId);
	if (!code) return undefined;
	return { access, code };
}

async function nameTaken(db: Db, enquiryId: string, name: string, exceptId?: string) {
	let q = db
		.selectFrom('enquiry_code')
		.select('id')
		.where('enquiry_id', '=', enquiryId)
		.where(sql<string>`lower(name)`, '=', name.toLowerCase());
	if (exceptId) q = q.where('id', '!=', exceptId);
	return (await q.executeTakeFirst()) !== undefined;
}

const NAME_TAKEN = 'There is already a code with that name. Choose another name, or merge them.';

/** Checks the parent: it exists in the enquiry, and is neither the code nor one of its children. */
async function checkParent(
	db: Db,
	enquiryId: string,
	parentId: string,
	codeId?: string
): Promise<string | null> {
	if (!parentId) return null;
	const codes = await db
		.selectFrom('enquiry_code')
		.select(['id', 'parent_id'])
		.where('enquiry_id', '=', enquiryId)
		.execute();
	const parentOf = new Map(codes.map((c) => [c.id, c.parent_id]));
	if (!parentOf.has(parentId)) return 'Choose a parent from the list';
	if (codeId) {
		// Walk up from the chosen parent: meeting the code itself means a loop.
		let at: string | null | undefined = parentId;
		for (let steps = 0; at && steps <= codes.length; steps++) {
			if (at === codeId)
				return 'A code cannot sit under itself or under one of its own codes. Choose another parent.';
			at = parentOf.get(at);
		}
	}
	return null;
}

/** A member of the team adds a code to the codebook, under a parent if they choose one. */
export async function createCode(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: CodeInput
): Promise<{ ok: true; id: string } | CodeFailure> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const result = await refusable<{ ok: true; id: string }, string>(
		() =>
			db.transaction().execute(async (trx) => {
				const problem = await checkParent(trx, enquiryId, input.parent);
				if (problem) throw new Refusal(`parent:${problem}`);
				if (await nameTaken(trx, enquiryId, input.name)) throw new Refusal('name');
				const id = await insertCode(
					trx,
					enquiryId,
					access.actor.id,
					input.name,
					input.description,
					input.parent || null
				);
				return { ok: true as const, id };
			}),
		'name'
	);
	return asCodeResult(result);
}

function asCodeResult(
	result: { ok: true; id: string } | { ok: false; reason: string }
): { ok: true; id: string } | CodeFailure {
	if (result.ok) return result;
	if (result.reason === 'name')
		return { ok: false, reason: 'invalid', errors: { name: NAME_TAKEN } };
	if (result.reason.startsWith('parent:'))
		return { ok: false, reason: 'invalid', errors: { parent: result.reason.slice(7) } };
	if (result.reason.startsWith('into:'))
		return { ok: false, reason: 'invalid', errors: { into: result.reason.slice(5) } };
	return { ok: false, reason: 'not-found' };
}

export async function insertCode(
	db: Db,
	enquiryId: string,
	userId: string | null,
	name: string,
	description: string,
	parentId: string | null
): Promise<string> {
	const id = newId();
	const now = nowIso();
	const last = await db
		.selectFrom('enquiry_code')
		.select((eb) => eb.fn.max('position').as('p'))
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	await db
		.insertInto('enquiry_code')
		.values({
			id,
			enquiry_id: enquiryId,
			parent_id: parentId,
			name,
			description,
			position: Number(last?.p ?? 0) + 1,
			created_by: userId,
			created_at: now,
			updated_at: now
		})
		.execute();
	return id;
}

/** Renames a code, changes its description or moves it under another parent (never a loop). */
export async function updateCode(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string,
	codeId: string,
	input: CodeInput
): Promise<{ ok: true; id: string } | CodeFailure> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const result = await refusable<{ ok: true; id: string }, string>(
		() =>
			db.transaction().execute(async (trx) => {
				if (!(await findCode(trx, enquiryId, codeId))) throw new Refusal('not-found');
				const problem = await checkParent(trx, enquiryId, input.parent, codeId);
				if (problem) throw new Refusal(`parent:${problem}`);
				if (await nameTaken(trx, enquiryId, input.name, codeId)) throw new Refusal('name');
				await trx
					.updateTable('enquiry_code')
					.set({
						name: input.name,
						description: input.description,
						parent_id: input.parent || null,
						updated_at: nowIso()
					})
					.where('id', '=', codeId)
					.execute();
				return { ok: true as const, id: codeId };
			}),
		'name'
	);
	return asCodeResult(result);
}

/** Deletes a code with its codings; its children move up to its parent. Excerpts left with no code go too. */
export async function deleteCode(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string,
	codeId: string
): Promise<{ ok: true } | CodeFailure> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	return db.transaction().execute(async (trx) => {
		const code = await findCode(trx, enquiryId, codeId);
		if (!code) return { ok: false as const, reason: 'not-found' as const };
		await trx
			.updateTable('enquiry_code')
			.set({ parent_id: code.parent_id })
			.where('parent_id', '=', codeId)
			.execute();
		const excerptIds = (
			await trx
				.selectFrom('enquiry_coding')
				.select('excerpt_id')
				.where('code_id', '=', codeId)
				.execute()
		).map((r) => r.excerpt_id);
		await trx.deleteFrom('enquiry_code').where('id', '=', codeId).execute();
		await deleteUncodedExcerpts(trx, excerptIds);
		return { ok: true as const };
	});
}

/** Excerpts with no code left mean nothing: they go. */
export async function deleteUncodedExcerpts(trx: Db, excerptIds: string[]): Promise<void> {
	for (let i = 0; i < excerptIds.length; i += 500) {
		const chunk = excerptIds.slice(i, i + 500);
		await trx
			.deleteFrom('enquiry_excerpt')
			.where('id', 'in', chunk)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('enquiry_coding')
							.select('excerpt_id')
							.whereRef('enquiry_coding.excerpt_id', '=', 'enquiry_excerpt.id')
					)
				)
			)
			.execute();
	}
}

/**
 * Merges code X into Y in one transaction: X's codings move to Y (an excerpt already coded Y
 * keeps its one coding), its memos and children move to Y, X goes, and a forwarding note says
 * where, so a member still coding with X is told.
 */
export async function mergeCode(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string,
	fromId: string,
	intoId: string
): Promise<{ ok: true; id: string } | CodeFailure> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const result = await refusable<{ ok: true; id: string }, string>(() =>
		db.transaction().execute(async (trx) => {
			const from = await findCode(trx, enquiryId, fromId);
			if (!from) throw new Refusal('not-found');
			if (fromId === intoId) throw new Refusal('into:Choose a different code to merge it into');
			const into = await findCode(trx, enquiryId, intoId);
			if (!into) throw new Refusal('into:Choose the code to merge it into from the list');
			const loop = await checkParent(trx, enquiryId, intoId, fromId);
			if (loop)
				throw new Refusal(
					'into:That code sits under the one you are merging. Choose a code outside it, or move it first.'
				);
			await trx
				.insertInto('enquiry_coding')
				.columns(['excerpt_id', 'code_id', 'coded_by', 'coded_at'])
				.expression((eb) =>
					eb
						.selectFrom('enquiry_coding as c')
						.select(['c.excerpt_id', sql.lit(intoId).as('code_id'), 'c.coded_by', 'c.coded_at'])
						.where('c.code_id', '=', fromId)
						.where(({ not, exists, selectFrom }) =>
							not(
								exists(
									selectFrom('enquiry_coding as d')
										.select('d.excerpt_id')
										.whereRef('d.excerpt_id', '=', 'c.excerpt_id')
										.where('d.code_id', '=', intoId)
								)
							)
						)
				)
				.execute();
			await trx.deleteFrom('enquiry_coding').where('code_id', '=', fromId).execute();
			await trx
				.updateTable('enquiry_memo')
				.set({ code_id: intoId })
				.where('code_id', '=', fromId)
				.execute();
			await trx
				.updateTable('enquiry_code')
				.set({ parent_id: intoId })
				.where('parent_id', '=', fromId)
				.execute();
			await trx
				.updateTable('enquiry_code_merge')
				.set({ into_code_id: intoId })
				.where('into_code_id', '=', fromId)
				.execute();
			await trx.deleteFrom('enquiry_code').where('id', '=', fromId).execute();
			await trx
				.insertInto('enquiry_code_merge')
				.values({
					from_code_id: fromId,
					enquiry_id: enquiryId,
					into_code_id: intoId,
					from_name: from.name,
					merged_by: access.actor.id,
					merged_at: nowIso()
				})
				.execute();
			return { ok: true as const, id: intoId };
		})
	);
	return asCodeResult(result);
}

/** Where merged codes went: from id → the code they live on in. */
export async function findMerges(db: Db, enquiryId: string, codeIds: string[]) {
	if (!codeIds.length) return [];
	return db
		.selectFrom('enquiry_code_merge as m')
		.innerJoin('enquiry_code as c', 'c.id', 'm.into_code_id')
		.select(['m.from_code_id', 'm.from_name', 'c.name as into_name', 'c.id as into_id'])
		.where('m.enquiry_id', '=', enquiryId)
		.where('m.from_code_id', 'in', codeIds)
		.execute();
}

/** Adds the benefit and barrier themes to an empty codebook (once: refused when it has codes). */
export async function seedCodebook(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	enquiryId: string
): Promise<{ ok: true; added: number } | { ok: false; reason: 'not-found' | 'not-empty' }> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	return db.transaction().execute(async (trx) => {
		const any = await trx
			.selectFrom('enquiry_code')
			.select('id')
			.where('enquiry_id', '=', enquiryId)
			.executeTakeFirst();
		if (any) return { ok: false as const, reason: 'not-empty' as const };
		const now = nowIso();
		let added = 0;
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
						created_by: access.actor.id,
						created_at: now,
						updated_at: now
					}))
				)
				.execute();
			added += rows.length;
		}
		return { ok: true as const, added };
	});
}
