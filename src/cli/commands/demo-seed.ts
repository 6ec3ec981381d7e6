import { DEMO_PASSWORD, seedDemo } from '../../lib/server/demo/demo';
import { parseOptions, type Command } from '../command';

/** `demo:seed`: adds the demo content (idempotent) and prints the demo sign-ins. */
export const demoSeed: Command = {
	name: 'demo:seed',
	summary: 'Add demo people, organisations and content (safe to run again)',
	usage: 'demo:seed',
	async run(args, ctx) {
		parseOptions(args, {}, []);
		const people = await seedDemo(ctx.database.db, ctx.config.timeZone);
		const origin = ctx.config.origin;
		const width = Math.max(...people.map((p) => p.email.length));
		ctx.stdout.write(
			`\nDemo content is ready. Sign in at ${origin}/sign-in with any of these\n` +
				`(password for all: ${DEMO_PASSWORD}):\n\n` +
				people
					.map((p) => `  ${p.email.padEnd(width)}  ${p.role.padEnd(13)}  ${p.name}, ${p.who}`)
					.join('\n') +
				'\n\nThese accounts are for trying CoLab out. Never use demo data on a real site.\n\n'
		);
		return 0;
	}
};
