import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import { readConfig } from '../config';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { PERSONAL_DATA } from './your-data.registry';
import { canDeleteAccount, canDownloadPersonalData } from './your-data.permissions';
import type {
	ContributionChoice,
	DataSubject,
	EraseContext,
	PersonalDataRegistration
} from './your-data.types';

export const EXPORT_FORMAT = 'colab-personal-data/1';

/** Everything CoLab holds about one person, ready for JSON.stringify. */
export interface PersonalDataExport {
	format: typeof EXPORT_FORMAT;
	exportedAt: string;
	about: string;
	[section: string]: unknown;
}

async function findSubject(
	db: Kysely<DB> | Transaction<DB>,
	userId: string
): Promise<(DataSubject & { role: string }) | undefined> {
	return db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'role'])
		.where('id', '=', userId)
		.executeTakeFirst();
}

/**
 * Everything the person stored, from every registered table: their account, sessions (never
 * the tokens), profile, organisations, invitations, the emails we sent them and the audit
 * entries by or about them. Never password hashes, tokens or link secrets. Undefined when
 * there is no such person. The caller checks permission (see downloadMyData).
 */
export async function exportPersonData(
	db: Kysely<DB>,
	userId: string
): Promise<PersonalDataExport | undefined> {
	const person = await findSubject(db, userId);
	if (!person) return undefined;
	const data: PersonalDataExport = {
		format: EXPORT_FORMAT,
		exportedAt: nowIso(),
		about:
			'Everything this site holds about you, by the part of the site that keeps it. Passwords, session keys and the secrets in emailed links are left out on purpose.'
	};
	// The account first, then the rest in the registry's order.
	const ordered = [...PERSONAL_DATA].sort(
		(a, b) => Number(b.table === 'app_user') - Number(a.table === 'app_user')
	);
	for (const registration of ordered) {
		if (!registration.export || !registration.exportAs) continue;
		data[registration.exportAs] = await registration.export(db, person);
	}
	return data;
}

/** Downloads the signed-in person's own data. */
export async function downloadMyData(
	db: Kysely<DB>,
	actor: Actor | null | undefined
): Promise<PersonalDataExport> {
	const userId = actor && 'id' in actor ? actor.id : '';
	assertCan(canDownloadPersonalData(actor, userId), 'Sign in to download your data.');
	const data = await exportPersonData(db, userId);
	if (!data) throw new Error('The signed-in person has no account row');
	return data;
}

export type DeleteAccountResult =
	{ ok: true; rowsChanged: number } | { ok: false; reason: 'not-found' | 'last-administrator' };

class Refused extends Error {
	constructor(readonly reason: 'not-found' | 'last-administrator') {
		super(reason);
	}
}

function siteFromConfig(): EraseContext['site'] {
	const config = readConfig();
	return { siteName: config.siteName, origin: config.origin };
}

/**
 * Deletes a person's account in one transaction: every registered table removes or anonymises
 * their rows (public contributions as they chose), the audit log records that an account was
 * deleted (and nothing about whose), and visitors' cached pages are dropped. Afterwards they
 * cannot sign in, every session is gone, and their email address can sign up again. The
 * last administrator cannot delete their account (nobody could run the site). The caller
 * checks permission (see deleteMyAccount).
 */
export async function deleteAccount(
	db: Kysely<DB>,
	userId: string,
	options: { contributions: ContributionChoice; site?: EraseContext['site'] }
): Promise<DeleteAccountResult> {
	const site = options.site ?? siteFromConfig();
	const afterCommit: EraseContext['afterCommit'] = [];
	try {
		const result = await changeContent(db, async (trx) => {
			if (isPostgres(trx)) {
				// The same lock as a role change, so the last two administrators cannot both go.
				await trx
					.selectFrom('app_user')
					.select('id')
					.where('role', '=', 'administrator')
					.forUpdate()
					.execute();
			}
			const person = await findSubject(trx, userId);
			if (!person) throw new Refused('not-found');
			if (person.role === 'administrator') {
				const others = await trx
					.selectFrom('app_user')
					.select('id')
					.where('role', '=', 'administrator')
					.where('id', '!=', userId)
					.limit(1)
					.execute();
				if (others.length === 0) throw new Refused('last-administrator');
			}
			const context: EraseContext = {
				person: { id: person.id, name: person.name, email: person.email },
				contributions: options.contributions,
				site,
				afterCommit
			};
			let rowsChanged = 0;
			const account = PERSONAL_DATA.filter((r) => r.table === 'app_user');
			for (const registration of [
				...PERSONAL_DATA.filter((r) => r.table !== 'app_user'),
				...account
			]) {
				rowsChanged += await registration.erase(trx, context);
			}
			await recordAudit(trx, {
				actor: null,
				action: 'account.deleted',
				target: { type: 'user', id: null },
				detail: { contributions: options.contributions, rowsChanged }
			});
			return { ok: true as const, rowsChanged };
		});
		for (const work of afterCommit) await work();
		return result;
	} catch (error) {
		if (error instanceof Refused) return { ok: false, reason: error.reason };
		throw error;
	}
}

/** Deletes the signed-in person's own account (see deleteAccount). */
export async function deleteMyAccount(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	options: { contributions: ContributionChoice; site?: EraseContext['site'] }
): Promise<DeleteAccountResult> {
	const userId = actor && 'id' in actor ? actor.id : '';
	assertCan(canDeleteAccount(actor, userId), 'Sign in to delete your account.');
	return deleteAccount(db, userId, options);
}

/** What deleting an account does, table by table, for the confirmation page. */
export function whatDeletionDoes(): {
	personal: string[];
	contributions: string[];
} {
	const sentences = (kind: PersonalDataRegistration['kind']) => [
		...new Set(PERSONAL_DATA.filter((r) => r.kind === kind).map((r) => r.onDelete))
	];
	return { personal: sentences('personal'), contributions: sentences('contribution') };
}
