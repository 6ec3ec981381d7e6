import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

/** Who may see a document: everyone, signed-in members, or holders of an audience key. */
export type SearchVisibility = 'public' | 'members' | `${string}:${string}`;

/** What a feature hands to the index for one of its rows. */
export interface SearchDocument {
	/** The registration's kind, e.g. 'event'. */
	kind: string;
	/** The row's own id in its feature. */
	docId: string;
	title: string;
	/** Plain text (Markdown and HTML already removed by the feature). */
	body: string;
	/** Where a result links to. */
	path: string;
	type?: string | null;
	themes?: readonly string[];
	format?: string | null;
	/** When it happens (events) or was published, ISO-8601 UTC. */
	startsAt?: string | null;
	organisationId?: string | null;
	visibility: SearchVisibility;
	updatedAt: string;
}

/**
 * How a feature takes part in search, registered in the feature's own `*.search.ts` and
 * listed in one place (as "your data" lists `*.personal-data.ts`). The feature writes its
 * documents with `upsertSearchDocument` / `removeSearchDocument` in the transaction of each
 * change; `listForReindex` lets `search:reindex` rebuild everything without the feature's
 * repositories being imported here.
 */
export interface SearchRegistration<Row = unknown> {
	/** Stored in `search_document.kind`; never renamed once documents exist. */
	kind: string;
	/** For people, in filters and beside results: "Event", "Case study". */
	label: string;
	/**
	 * The document for one row, or null when the row must not be findable at all (a draft,
	 * a removed item): the indexer then removes any document it had.
	 */
	toDocument(row: Row): SearchDocument | null;
	/**
	 * Rows in a stable order, `limit` at a time after the row whose id is `after` (null for the
	 * first batch), so a reindex never holds one huge result or a long transaction.
	 */
	listForReindex(
		db: Kysely<DB> | Transaction<DB>,
		batch: { after: string | null; limit: number }
	): Promise<{ rows: Row[]; lastId: string | null }>;
}

/** Checks a list of registrations for the mistakes that would mix two features' documents. */
export function assertDistinctKinds(registrations: readonly SearchRegistration[]): void {
	const seen = new Set<string>();
	for (const registration of registrations) {
		if (!/^[a-z][a-z0-9-]*$/.test(registration.kind)) {
			throw new Error(`Search kind "${registration.kind}" must be lower-case letters and dashes.`);
		}
		if (seen.has(registration.kind)) {
			throw new Error(`Search kind "${registration.kind}" is registered twice.`);
		}
		seen.add(registration.kind);
	}
}
