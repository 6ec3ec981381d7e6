import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import {
	hasSearchDocument,
	listSearchDocumentIds,
	refreshSearchDocument,
	removeSearchDocumentsOfOtherKinds
} from '../search/search.repository';
import { SEARCH_REGISTRATIONS } from './site-search.registry';

/** Rows read (and documents written) per batch, each batch in its own short transaction. */
export const REINDEX_BATCH = 500;

export interface ReindexCounts {
	kind: string;
	/** Documents written (or rewritten) from the feature's rows. */
	written: number;
	/** Documents removed because their row is gone or must no longer be found. */
	removed: number;
}

export interface ReindexReport {
	kinds: ReindexCounts[];
	/** Documents of kinds no longer registered, removed. */
	unregistered: Array<{ kind: string; count: number }>;
}

/**
 * Rebuilds the search index while the site keeps running: every registered kind's rows are
 * written again in small transactions, then documents whose row was not seen are checked once
 * more (a row added during the rebuild keeps its document) and removed when they should go,
 * and documents of kinds no longer registered are removed. Each document is written from the
 * row as it is inside the writing transaction, so an edit made meanwhile is not undone.
 */
export async function reindexSearch(
	db: Kysely<DB>,
	options: {
		registrations?: readonly SearchRegistration<any>[];
		batch?: number;
		/** Called after each kind, for progress. */
		onKind?: (counts: ReindexCounts) => void;
	} = {}
): Promise<ReindexReport> {
	const registrations = options.registrations ?? SEARCH_REGISTRATIONS;
	const size = Math.max(1, options.batch ?? REINDEX_BATCH);
	const kinds: ReindexCounts[] = [];
	for (const registration of registrations) {
		const counts = await reindexKind(db, registration, size);
		kinds.push(counts);
		options.onKind?.(counts);
	}
	const unregistered = await db.transaction().execute((trx) =>
		removeSearchDocumentsOfOtherKinds(
			trx,
			registrations.map((r) => r.kind)
		)
	);
	return { kinds, unregistered };
}

async function reindexKind(
	db: Kysely<DB>,
	registration: SearchRegistration<any>,
	size: number
): Promise<ReindexCounts> {
	const seen = new Set<string>();
	let written = 0;
	let after: string | null = null;
	for (;;) {
		const { rows, lastId } = await registration.listForReindex(db, { after, limit: size });
		const ids: string[] = [];
		for (const row of rows) {
			const doc = registration.toDocument(row);
			// Rows that must not be found give no id here; the sweep below removes their documents.
			if (doc) ids.push(doc.docId);
		}
		if (ids.length) {
			await db.transaction().execute(async (trx) => {
				for (const id of ids) await refreshSearchDocument(trx, registration, id);
			});
		}
		for (const id of ids) seen.add(id);
		written += ids.length;
		if (rows.length < size || lastId === null || lastId === after) break;
		after = lastId;
	}

	let removed = 0;
	let sweptAfter: string | null = null;
	for (;;) {
		const batch = await listSearchDocumentIds(db, registration.kind, {
			after: sweptAfter,
			limit: size
		});
		const unseen = batch.filter((id) => !seen.has(id));
		if (unseen.length) {
			removed += await db.transaction().execute(async (trx) => {
				let gone = 0;
				for (const id of unseen) {
					// Created or changed since its batch was read? Then the refresh keeps it.
					await refreshSearchDocument(trx, registration, id);
					if (!(await hasSearchDocument(trx, registration.kind, id))) gone++;
				}
				return gone;
			});
		}
		if (batch.length < size) break;
		sweptAfter = batch.at(-1) ?? null;
	}
	return { kind: registration.kind, written, removed };
}
