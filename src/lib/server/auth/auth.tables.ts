import type { Selectable } from 'kysely';

/**
 * better-auth's tables, mapped to snake_case (see auth.ts). `email_verified` is a boolean on
 * PostgreSQL and 0/1 on SQLite because better-auth writes it; read it with `Boolean(...)`.
 */
export interface AppUserTable {
	id: string;
	name: string;
	email: string;
	email_verified: boolean | number;
	image: string | null;
	role: string;
	created_at: string;
	updated_at: string;
}

export interface AuthSessionTable {
	id: string;
	user_id: string;
	token: string;
	expires_at: string;
	ip_address: string | null;
	user_agent: string | null;
	created_at: string;
	updated_at: string;
}

export interface AuthAccountTable {
	id: string;
	user_id: string;
	account_id: string;
	provider_id: string;
	access_token: string | null;
	refresh_token: string | null;
	id_token: string | null;
	access_token_expires_at: string | null;
	refresh_token_expires_at: string | null;
	scope: string | null;
	password: string | null;
	created_at: string;
	updated_at: string;
}

export interface AuthVerificationTable {
	id: string;
	identifier: string;
	value: string;
	expires_at: string;
	created_at: string;
	updated_at: string;
}

export type AppUser = Selectable<AppUserTable>;

export interface AuthTables {
	app_user: AppUserTable;
	auth_session: AuthSessionTable;
	auth_account: AuthAccountTable;
	auth_verification: AuthVerificationTable;
}
