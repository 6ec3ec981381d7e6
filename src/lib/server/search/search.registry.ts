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
	/** Hidden from every search until this moment (a scheduled post), ISO-8601 UTC. */
	visibleFrom?: string | null;
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
	 * The row as `toDocument` needs it, or undefined when it no longer exists. Features call
	 * `refreshSearchDocument(trx, registration, id)` after each change, in its transaction, and
	 * the index follows whatever the row now says.
	 */
	loadRow(db: Kysely<DB> | Transaction<DB>, docId: string): Promise<Row | undefined>;
	/**
	 * Rows in a stable order, `limit` at a time after the row whose id is `after` (null for the
	 * first batch), so a reindex never holds one huge result or a long transaction.
	 */
	/**
	 * Audience keys (e.g. 'pilot-team:<id>') this person holds for this kind's documents whose
	 * visibility is such a key. Only kinds with team-only documents need it.
	 */
	audiencesFor?(db: Kysely<DB> | Transaction<DB>, userId: string): Promise<string[]>;
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
