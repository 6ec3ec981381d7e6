import type { Kysely } from 'kysely';
import type { Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { teamAccess } from './codebook.service';

type Db = Kysely<DB>;

/** Memos on a code, oldest first, with their authors' names: any team member reads them. */
export async function listCodeMemos(db: Db, codeId: string) {
	return db
		.selectFrom('enquiry_memo as m')
		.leftJoin('app_user as u', 'u.id', 'm.author_id')
		.select(['m.id', 'm.body', 'm.author_id', 'u.name as author', 'm.created_at', 'm.updated_at'])
		.where('m.code_id', '=', codeId)
		.orderBy('m.created_at')
		.orderBy('m.id')
		.limit(500)
		.execute();
}

/** A team member writes a memo on a code. */
export async function addMemo(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	codeId: string,
	body: string
): Promise<{ ok: true; id: string } | { ok: false; reason: 'not-found' }> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const code = await db
		.selectFrom('enquiry_code')
		.select('id')
		.where('id', '=', codeId)
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	if (!code) return { ok: false, reason: 'not-found' };
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('enquiry_memo')
		.values({
			id,
			enquiry_id: enquiryId,
			code_id: codeId,
			body,
			author_id: access.actor.id,
			created_at: now,
			updated_at: now
		})
		.execute();
	return { ok: true, id };
}

/** The memo's author changes (or, with body null, deletes) their own memo; nobody else can. */
export async function changeOwnMemo(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	memoId: string,
	body: string | null
): Promise<{ ok: true } | { ok: false; reason: 'not-found' | 'not-yours' }> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const memo = await db
		.selectFrom('enquiry_memo')
		.select(['id', 'author_id'])
		.where('id', '=', memoId)
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	if (!memo) return { ok: false, reason: 'not-found' };
	if (memo.author_id !== access.actor.id) return { ok: false, reason: 'not-yours' };
	if (body === null) await db.deleteFrom('enquiry_memo').where('id', '=', memoId).execute();
	else
		await db
			.updateTable('enquiry_memo')
			.set({ body, updated_at: nowIso() })
			.where('id', '=', memoId)
			.execute();
	return { ok: true };
}
