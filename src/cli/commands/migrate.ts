import { migrateToLatest } from '../../lib/server/db/migrate';
import { migrations } from '../../lib/server/db/migrations/index';
import { parseOptions, type Command } from '../command';

/** `migrate`: applies pending migrations (the app also does this when it starts). */
export const migrate: Command = {
	name: 'migrate',
	summary: 'Apply pending database migrations',
	usage: 'migrate',
	database: 'as-is',
	async run(args, ctx) {
		parseOptions(args, {});
		const result = await migrateToLatest(ctx.database.db);
		const applied = (result.results ?? [])
			.filter((r) => r.status === 'Success')
			.map((r) => r.migrationName);
		const where = ctx.database.describe;
		if (applied.length === 0) {
			ctx.stdout.write(
				`${where} is up to date (${Object.keys(migrations).length} migrations applied).\n`
			);
		} else {
			ctx.stdout.write(
				`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${where}:\n` +
					applied.map((name) => `  ${name}\n`).join('')
			);
		}
		return 0;
	}
};
