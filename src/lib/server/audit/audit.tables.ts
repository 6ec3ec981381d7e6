import type { Insertable, Selectable } from 'kysely';

export interface AuditLogTable {
	id: string;
	/** Null for the command line, and after the actor deleted their account. */
	actor_id: string | null;
	/** The actor's name when they acted ("Command line", or a neutral label after deletion). */
	actor_name: string;
	/** What happened, as `<thing>.<verb>`: "user.role_changed", "account.deleted". */
	action: string;
	/** What it happened to: "user", "organisation"…, and its id. */
	target_type: string | null;
	target_id: string | null;
	/** JSON object of ids and values; never secrets or free text about a person. */
	detail: string | null;
	created_at: string;
}

export type AuditEntryRow = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;

export interface AuditTables {
	audit_log: AuditLogTable;
}
