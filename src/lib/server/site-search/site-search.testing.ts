import type { SearchDocument, SearchRegistration } from '../search/search.registry';

export interface NoteRow {
	id: string;
	title: string;
	body: string;
	visibility: SearchDocument['visibility'];
	startsAt?: string | null;
	themes?: string[];
	/** A draft has no document. */
	draft?: boolean;
}

/**
 * A tiny kind for specs, its rows kept in a Map (the database passed in is not needed): lets
 * site search and the reindex be specified without any feature's tables.
 */
export function noteRegistration(
	kind = 'note',
	label = 'Note',
	options: { audiences?: (userId: string) => string[] } = {}
): SearchRegistration<NoteRow> & { rows: Map<string, NoteRow> } {
	const rows = new Map<string, NoteRow>();
	return {
		rows,
		kind,
		label,
		toDocument: (row) =>
			row.draft
				? null
				: {
						kind,
						docId: row.id,
						title: row.title,
						body: row.body,
						path: `/${kind}s/${row.id}`,
						themes: row.themes ?? [],
						startsAt: row.startsAt ?? null,
						visibility: row.visibility,
						updatedAt: '2026-11-01T00:00:00.000Z'
					},
		loadRow: async (_db, id) => rows.get(id),
		audiencesFor: options.audiences
			? async (_db, userId) => options.audiences?.(userId) ?? []
			: undefined,
		listForReindex: async (_db, { after, limit }) => {
			const ids = [...rows.keys()].sort().filter((id) => after === null || id > after);
			const page = ids.slice(0, limit).map((id) => rows.get(id)!);
			return { rows: page, lastId: page.at(-1)?.id ?? null };
		}
	};
}
