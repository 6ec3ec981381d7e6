import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Role } from '../auth/auth.types';
import { isPostgres } from '../db/database';
import { newId, nowIso } from '../ids';

let counter = 0;

/**
 * Inserts a person straight into app_user for specs that need someone to act as. (Journeys
 * sign up through the real pages instead.)
 */
export async function createTestUser(
	db: Kysely<DB>,
	overrides: { name?: string; email?: string; role?: Role; emailVerified?: boolean } = {}
): Promise<{ id: string; name: string; email: string; role: Role; emailVerified: boolean }> {
	counter++;
	const id = newId();
	const now = nowIso();
	const user = {
		id,
		name: overrides.name ?? `Test Person ${counter}`,
		email: overrides.email ?? `person-${counter}-${id.slice(0, 6).toLowerCase()}@example.test`,
		role: overrides.role ?? 'member',
		emailVerified: overrides.emailVerified ?? true
	};
	await db
		.insertInto('app_user')
		.values({
			id,
			name: user.name,
			email: user.email,
			// better-auth's column: boolean on PostgreSQL, 0/1 on SQLite.
			email_verified: isPostgres(db) ? user.emailVerified : user.emailVerified ? 1 : 0,
			image: null,
			role: user.role,
			created_at: now,
			updated_at: now
		})
		.execute();
	return user;
}
