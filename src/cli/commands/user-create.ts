import { createUserSchema } from '../../lib/server/auth/auth.schema';
import { SYSTEM_ACTOR } from '../../lib/server/auth/auth.permissions';
import { createUser } from '../../lib/server/auth/users.service';
import { ROLES } from '../../lib/server/auth/auth.types';
import { UsageError, parseOptions, type Command } from '../command';

/**
 * `user:create --email --name --role [--password-stdin]`: makes an account whose address
 * counts as confirmed. Without a password the person signs in with emailed links.
 */
export const userCreate: Command = {
	name: 'user:create',
	summary: 'Create an account, its address already confirmed',
	usage: `user:create --email ADDRESS --name NAME --role ${ROLES.join('|')} [--password-stdin]`,
	async run(args, ctx) {
		const options = parseOptions(
			args,
			{
				email: { type: 'string' },
				name: { type: 'string' },
				role: { type: 'string' },
				'password-stdin': { type: 'boolean' }
			},
			['email', 'name', 'role']
		);
		const password = options['password-stdin']
			? (await ctx.stdin()).replace(/\r?\n$/, '')
			: undefined;
		const parsed = createUserSchema.safeParse({
			email: options.email,
			name: options.name,
			role: options.role,
			password
		});
		if (!parsed.success) {
			throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('. ') + '.');
		}
		const { siteName, origin } = ctx.config;
		const result = await createUser(
			ctx.database.db,
			{ siteName, origin },
			SYSTEM_ACTOR,
			parsed.data
		);
		if (!result.ok) {
			ctx.stderr.write(`There is already an account for ${parsed.data.email}.\n`);
			return 1;
		}
		const { user } = result;
		ctx.stdout.write(
			`Created ${user.role} ${user.name} <${user.email}>.\n` +
				(password
					? `They can sign in at ${origin}/sign-in with the password given.\n`
					: `They sign in with an emailed link: ${origin}/sign-in/link\n`) +
				'An email telling them about the account is in the outbox; the running app sends it.\n'
		);
		return 0;
	}
};
