import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { currentFramework } from '../assessments/framework.service';
import type { LibraryTag, LibraryTagKind } from './library.tables';
import { listTags, tagsByIds } from './tags.repository';

type Db = Kysely<DB> | Transaction<DB>;

/** Every list a library form or filter offers, read at once. */
export interface LibraryVocabulary {
	serviceAreas: LibraryTag[];
	benefits: LibraryTag[];
	barriers: LibraryTag[];
	/** The co-production check's dimensions, by their stable key (ids change with each version). */
	dimensions: Array<{ key: string; title: string }>;
}

/**
 * The words people choose from: active ones only, unless `includeRetired` (for showing what
 * something was tagged with, or for a curator's list).
 */
export async function libraryVocabulary(
	db: Kysely<DB>,
	options: { includeRetired?: boolean } = {}
): Promise<LibraryVocabulary> {
	const [tags, framework] = await Promise.all([
		listTags(db, { statuses: options.includeRetired ? undefined : ['active'] }),
		currentFramework(db)
	]);
	return {
		serviceAreas: tags.filter((t) => t.kind === 'service-area'),
		benefits: tags.filter((t) => t.kind === 'benefit'),
		barriers: tags.filter((t) => t.kind === 'barrier'),
		dimensions: framework.dimensions.map((d) => ({ key: d.key, title: d.title }))
	};
}

/** The active service areas, in the library's order: what case studies, pilots and champions are filed under. */
export async function activeServiceAreas(db: Db): Promise<LibraryTag[]> {
	return listTags(db, { kinds: ['service-area'], statuses: ['active'] });
}

/**
 * Checks chosen tag ids against the list: every id must be an active word of `kind`. A word
 * already on the thing being edited (`kept`) may stay even if it has since been retired.
 * Returns the ids that are not allowed, so a form can say which.
 */
export async function unknownTags(
	db: Db,
	kind: LibraryTagKind,
	ids: string[],
	kept: string[] = []
): Promise<string[]> {
	const unique = [...new Set(ids)];
	const found = await tagsByIds(db, unique);
	const allowed = new Set(
		found
			.filter((t) => t.kind === kind && (t.status === 'active' || kept.includes(t.id)))
			.map((t) => t.id)
	);
	return unique.filter((id) => !allowed.has(id));
}
