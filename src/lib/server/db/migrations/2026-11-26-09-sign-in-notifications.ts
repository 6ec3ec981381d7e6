import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// On PostgreSQL, every change to a person's sessions, user row or accounts announces their id
// on the channel colab_sign_in, when it commits. Each app instance listens and forgets what it
// kept in memory about that person (src/lib/server/auth/session-cache.ts), however the change
// was made: by better-auth, CoLab, the CLI or by hand. On SQLite the app makes temporary
// triggers on its own connection at start instead (session-cache.ts).
export async function up(db: Kysely<any>): Promise<void> {
	if (!types(db).postgres) return;
	await sql`
		create function colab_announce_user_change() returns trigger
		language plpgsql as $$
		begin
			perform pg_notify('colab_sign_in', old.id);
			return null;
		end $$
	`.execute(db);
	// For sessions and accounts, whose person is user_id.
	await sql`
		create function colab_announce_sign_in_change() returns trigger
		language plpgsql as $$
		begin
			if tg_op <> 'INSERT' then
				perform pg_notify('colab_sign_in', old.user_id);
			end if;
			-- A new row, or one moved to another person, concerns the new person too.
			if tg_op <> 'DELETE' then
				perform pg_notify('colab_sign_in', new.user_id);
			end if;
			return null;
		end $$
	`.execute(db);
	// Inserts of users and sessions need no trigger: nothing is kept about them yet.
	await sql`
		create trigger app_user_sign_in_change after update or delete on app_user
		for each row execute function colab_announce_user_change()
	`.execute(db);
	await sql`
		create trigger auth_session_sign_in_change after update or delete on auth_session
		for each row execute function colab_announce_sign_in_change()
	`.execute(db);
	await sql`
		create trigger auth_account_sign_in_change after insert or update or delete on auth_account
		for each row execute function colab_announce_sign_in_change()
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!types(db).postgres) return;
	await sql`drop trigger if exists auth_account_sign_in_change on auth_account`.execute(db);
	await sql`drop trigger if exists auth_session_sign_in_change on auth_session`.execute(db);
	await sql`drop trigger if exists app_user_sign_in_change on app_user`.execute(db);
	await sql`drop function if exists colab_announce_sign_in_change()`.execute(db);
	await sql`drop function if exists colab_announce_user_change()`.execute(db);
}
