import { SYSTEM_ACTOR } from '../../lib/server/auth/auth.permissions';
import { ROLES } from '../../lib/server/auth/auth.types';
import { changeUserRole } from '../../lib/server/auth/users.service';
import { UsageError, parseOptions, type Command } from '../command';

/** `user:role --email --role`: changes someone's site-wide role (recorded in the audit log). */
export const userRole: Command = {
	name: 'user:role',
	summary: "Change someone's role to member, curator or administrator",
	usage: `user:role --email ADDRESS --role ${ROLES.join('|')}`,
	async run(args, ctx) {
		const { email, role } = parseOptions(
			args,
			{ email: { type: 'string' }, role: { type: 'string' } },
			['email', 'role']
		);
		const result = await changeUserRole(ctx.database.db, SYSTEM_ACTOR, {
			user: { email },
			role
		});
		if (result.ok) {
			const { user, previousRole } = result;
			ctx.stdout.write(
				previousRole === user.role
					? `${user.name} <${user.email}> is already ${user.role}; nothing changed.\n`
					: `${user.name} <${user.email}> is now ${user.role} (was ${previousRole}).\n`
			);
			return 0;
		}
		switch (result.reason) {
			case 'invalid-role':
				throw new UsageError(`Role must be one of: ${ROLES.join(', ')}.`);
			case 'not-found':
				ctx.stderr.write(`There is no account for ${email.trim().toLowerCase()}.\n`);
				return 1;
			case 'last-administrator':
				ctx.stderr.write(
					`${email} is the only administrator. Make someone else an administrator first.\n`
				);
				return 1;
		}
	}
};
