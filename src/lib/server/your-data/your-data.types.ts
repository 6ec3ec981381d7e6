import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

/** What a person chose for their public contributions when deleting their account. */
export const CONTRIBUTION_CHOICES = ['remove', 'keep-as-former-member'] as const;
export type ContributionChoice = (typeof CONTRIBUTION_CHOICES)[number];

/** The person whose data is exported or erased (read once, before anything changes). */
export interface DataSubject {
	id: string;
	name: string;
	/** Lower-cased, as better-auth stores it. */
	email: string;
}

export interface EraseContext {
	person: DataSubject;
	contributions: ContributionChoice;
	/** For mail the erasure causes (e.g. telling someone they now run an organisation). */
	site: { siteName: string; origin: string };
	/**
	 * Work for after the deletion has committed, such as removing a picture's files (a file
	 * removed inside the transaction could not come back if it rolled back).
	 */
	afterCommit: Array<() => Promise<void>>;
}

/**
 * One table that holds data about a person, registered by the feature that owns it. Every
 * table with a column pointing at a person must have one (a spec checks the live schema).
 */
export interface PersonalDataRegistration {
	/** The feature that owns the table, e.g. "accounts". */
	feature: string;
	table: keyof DB & string;
	/**
	 * The table's columns that point at a person (foreign keys to app_user, `*user_id`, `*_by`,
	 * `actor_id`…). Empty when rows are found another way, e.g. by email address.
	 */
	personColumns: readonly string[];
	/**
	 * Whether rows are public contributions (removed, or kept and shown as a former member's,
	 * as the person chooses) or personal data (always removed or anonymised).
	 */
	kind: 'personal' | 'contribution';
	/** What deleting the account does to these rows, in a sentence for the person. */
	onDelete: string;
	/** Where this table's rows go in the download, and how to read them (no secrets). */
	exportAs?: string;
	export?(db: Kysely<DB>, person: DataSubject): Promise<unknown>;
	/**
	 * Removes or anonymises the person's rows, inside the deletion's one transaction. Returns how
	 * many rows it changed (recorded, as a number only, in the audit log).
	 */
	erase(trx: Transaction<DB>, context: EraseContext): Promise<number>;
}
