import { reindexSearch } from '../../lib/server/site-search/reindex.service';
import { parseOptions, type Command } from '../command';

/** `search:reindex`: rebuilds the search index while the site keeps running. */
export const searchReindex: Command = {
	name: 'search:reindex',
	summary: 'Rebuild the search index (the site stays up)',
	usage: 'search:reindex',
	async run(args, ctx) {
		parseOptions(args, {});
		const report = await reindexSearch(ctx.database.db, {
			onKind: (counts) =>
				ctx.stdout.write(`  ${counts.kind}: ${counts.written} written, ${counts.removed} removed\n`)
		});
		for (const gone of report.unregistered) {
			ctx.stdout.write(`  ${gone.kind} (no longer registered): ${gone.count} removed\n`);
		}
		const written = report.kinds.reduce((sum, k) => sum + k.written, 0);
		ctx.stdout.write(
			`Search index rebuilt: ${written} document${written === 1 ? '' : 's'} of ${report.kinds.length} kind${report.kinds.length === 1 ? '' : 's'}.\n`
		);
		return 0;
	}
};
