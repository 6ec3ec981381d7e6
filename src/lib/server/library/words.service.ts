import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { recordAudit } from '../audit/audit.service';
import { changeContent } from '../cache/content-version';
import { isUniqueViolation } from '../db/errors';
import type { FieldErrors } from '../forms';
import { nowIso } from '../ids';
import { canManageLibraryWords } from './case-studies.permissions';
import type { LibraryTag, LibraryTagStatus } from './library.tables';
import { wordSchema } from './case-studies.schema';
import { libraryVocabulary } from './tags.service';
import {
	findTagById,
	findTagByKindAndSlug,
	insertTag,
	nextTagPosition,
	setTagStatus
} from './words.repository';

function slugOf(label: string): string {
	return label
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[’'“”"]/g, '')
		.replace(/&/g, ' and ')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
}

/** Every word of every list, retired ones too, for the curators' page. */
export async function libraryWordsForCurators(db: Kysely<DB>, actor: Actor | null | undefined) {
	assertCan(canManageLibraryWords(actor), 'Only curators keep the library’s lists of words.');
	return libraryVocabulary(db, { includeRetired: true });
}

/**
 * A curator adds a word to one list. It goes last, offered at once to everyone writing; its
 * address in filters comes from its words (kept if it is reworded later).
 */
export async function addLibraryWord(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	raw: { kind: string; label: string }
): Promise<{ ok: true; tag: LibraryTag } | { ok: false; errors: FieldErrors }> {
	assertCan(canManageLibraryWords(actor), 'Only curators add words to the library’s lists.');
	const parsed = wordSchema.safeParse(raw);
	if (!parsed.success) {
		const errors: FieldErrors = {};
		for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
		return { ok: false, errors };
	}
	const { kind, label } = parsed.data;
	const slug = slugOf(label);
	if (!slug) return { ok: false, errors: { label: 'Use some letters or numbers' } };
	if (await findTagByKindAndSlug(db, kind, slug))
		return { ok: false, errors: { label: `“${label}” is already on that list.` } };
	const tag: LibraryTag = {
		id: `${kind}:${slug}`,
		kind,
		slug,
		label,
		status: 'active',
		position: await nextTagPosition(db, kind),
		created_at: nowIso()
	};
	try {
		await changeContent(db, async (trx) => {
			await insertTag(trx, tag);
			await recordAudit(trx, {
				actor: actor && 'id' in actor ? actor : { system: true },
				action: 'library_word.added',
				target: { type: 'library_tag', id: tag.id },
				detail: { kind, label }
			});
		});
	} catch (failure) {
		if (isUniqueViolation(failure))
			return { ok: false, errors: { label: `“${label}” is already on that list.` } };
		throw failure;
	}
	return { ok: true, tag };
}

/** A curator retires a word (kept on what has it, offered no more) or restores it. */
export async function setLibraryWordStatus(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	status: LibraryTagStatus
): Promise<LibraryTag | undefined> {
	assertCan(canManageLibraryWords(actor), 'Only curators retire or restore words.');
	const tag = await findTagById(db, id);
	if (!tag) return undefined;
	if (tag.status === status) return tag;
	await changeContent(db, async (trx) => {
		await setTagStatus(trx, id, status);
		await recordAudit(trx, {
			actor: actor && 'id' in actor ? actor : { system: true },
			action: status === 'retired' ? 'library_word.retired' : 'library_word.restored',
			target: { type: 'library_tag', id },
			detail: { kind: tag.kind, label: tag.label }
		});
	});
	return { ...tag, status };
}
