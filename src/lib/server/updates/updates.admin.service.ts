import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { csvCell, parseCsv } from '../csv';
import type { FieldErrors } from '../forms';
import {
	countByStatus,
	findStatusesByEmail,
	findSuppressions,
	insertSubscribersWithTopics,
	listSubscribersPage
} from './updates.admin.repository';
import {
	findSubscriberByEmail,
	replaceSubscriberTopics,
	suppress,
	updateSubscriber
} from './updates.repository';
import { composeUpdateMail, hashAddress } from './updates.service';
import { importWelcomeMail, type UpdatesSite } from './updates.mails';
import { listTopics } from './updates.topics';
import type { NewUpdateSubscriber } from './updates.tables';
import {
	canBlockAddresses,
	canExportSubscribers,
	canImportSubscribers
} from './updates.permissions';

/** The most rows one import takes (a larger list goes in several files). */
export const IMPORT_MAX_ROWS = 5000;
/** The longest "how they agreed" we keep; longer is reported, never cut. */
export const HOW_MAX_LENGTH = 500;
/** The columns an import file names on its first line. */
export const IMPORT_COLUMNS = ['email', 'agreed_on', 'how'] as const;

/** A line of the file that was not imported, and why, in plain words. */
export interface ImportLine {
	line: number;
	/** The address as written (for the administrator, who sent it), or empty. */
	email: string;
	reason: string;
}

export interface ImportReport {
	imported: number;
	/** Lines with a mistake: fix them and import those lines again. */
	rejected: ImportLine[];
	/** Fine lines left out on purpose: on the suppression list, or already on the list. */
	skipped: ImportLine[];
}

export type ImportResult = { ok: true; report: ImportReport } | { ok: false; errors: FieldErrors };

const emailSchema = z.email();

interface Candidate {
	line: number;
	email: string;
	agreedOn: string;
	how: string;
}

function checkDate(value: string, today: string): string | undefined {
	if (!value) return 'The date they agreed is missing.';
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	const date = match ? new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)) : null;
	if (!date || date.toISOString().slice(0, 10) !== value)
		return 'The date must be a real date written as year-month-day, like 2026-03-14.';
	if (value > today) return 'The date they agreed is in the future.';
	return undefined;
}

function checkRow(
	cells: string[],
	at: Record<(typeof IMPORT_COLUMNS)[number], number>,
	today: string
) {
	const email = (cells[at.email] ?? '').trim();
	const agreedOn = (cells[at.agreed_on] ?? '').trim();
	const how = (cells[at.how] ?? '').trim();
	let reason: string | undefined;
	if (!email) reason = 'The email address is missing.';
	else if (email.length > 254) reason = 'The email address is longer than 254 characters.';
	else if (!emailSchema.safeParse(email).success)
		reason = 'The email address is not in the right format.';
	reason ??= checkDate(agreedOn, today);
	if (!reason && !how) reason = 'How they agreed is missing.';
	if (!reason && how.length > HOW_MAX_LENGTH)
		reason = `How they agreed is longer than ${HOW_MAX_LENGTH} characters.`;
	return { email, agreedOn, how, reason };
}

/**
 * Reads an import file: the header, then each row checked on its own. Mistakes in the file as
 * a whole (no header, a quote that never closes, too many rows) come back as errors; mistakes
 * in a row come back as rejected lines.
 */
function readImport(
	csv: string,
	today: string
): { ok: true; candidates: Candidate[]; rejected: ImportLine[] } | { ok: false; error: string } {
	const parsed = parseCsv(csv);
	if (!parsed.ok) return { ok: false, error: `${parsed.message} Nothing was imported.` };
	const records = parsed.records.filter((r) => r.cells.some((c) => c.trim() !== ''));
	const header = records.shift();
	if (!header) return { ok: false, error: 'The list is empty. Choose a file or paste the list.' };
	const names = header.cells.map((c) => c.trim().toLowerCase());
	const at = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
		(typeof IMPORT_COLUMNS)[number],
		number
	>;
	if (Object.values(at).some((i) => i < 0))
		return {
			ok: false,
			error: `The first line must name the columns: ${IMPORT_COLUMNS.join(',')}. Nothing was imported.`
		};
	if (records.length > IMPORT_MAX_ROWS)
		return {
			ok: false,
			error: `The list has ${records.length.toLocaleString('en-GB')} rows. We import up to ${IMPORT_MAX_ROWS.toLocaleString('en-GB')} at once: split it into smaller files. Nothing was imported.`
		};
	const candidates: Candidate[] = [];
	const rejected: ImportLine[] = [];
	const firstLine = new Map<string, number>();
	for (const record of records) {
		const row = checkRow(record.cells, at, today);
		const email = row.email.toLowerCase();
		const reason =
			record.problem ??
			row.reason ??
			(firstLine.has(email)
				? `The address is already on line ${firstLine.get(email)}.`
				: undefined);
		if (reason) {
			rejected.push({ line: record.line, email: row.email, reason });
			continue;
		}
		firstLine.set(email, record.line);
		candidates.push({ line: record.line, email, agreedOn: row.agreedOn, how: row.how });
	}
	return { ok: true, candidates, rejected };
}

const SKIPPED = {
	unsubscribed: 'Unsubscribed earlier: not imported.',
	blocked: 'Blocked: not imported.',
	subscribed: 'Already subscribed: left as it is.',
	pending: 'Signed up and not yet confirmed: left as it is.'
} as const;

async function importRows(
	trx: Transaction<DB>,
	site: UpdatesSite,
	candidates: Candidate[],
	topics: string[],
	now: string
): Promise<{ imported: number; skipped: ImportLine[] }> {
	const statuses = await findStatusesByEmail(
		trx,
		candidates.map((c) => c.email)
	);
	const suppressed = await findSuppressions(
		trx,
		candidates.map((c) => hashAddress(c.email))
	);
	const skipped: ImportLine[] = [];
	const rows: NewUpdateSubscriber[] = [];
	const emails: string[] = [];
	for (const c of candidates) {
		const hash = hashAddress(c.email);
		const reason = suppressed.get(hash);
		const status = statuses.get(c.email);
		if (reason) skipped.push({ line: c.line, email: c.email, reason: SKIPPED[reason] });
		else if (status)
			skipped.push({
				line: c.line,
				email: c.email,
				reason: SKIPPED[status === 'unsubscribed' ? 'unsubscribed' : status]
			});
		else {
			rows.push({
				id: newId(),
				email: c.email,
				email_hash: hash,
				status: 'subscribed',
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				consented_at: `${c.agreedOn}T00:00:00.000Z`,
				consent_method: 'import',
				consent_detail: c.how,
				created_at: now,
				updated_at: now
			});
			emails.push(c.email);
		}
	}
	await insertSubscribersWithTopics(trx, rows, topics);
	const all = await listTopics(trx);
	const chosen = all.filter((t) => topics.includes(t.key));
	for (const row of rows) {
		const mail = await composeUpdateMail(
			trx,
			site,
			row.id,
			(token) => importWelcomeMail(site, row.email, token, chosen),
			now
		);
		await enqueueMail(trx, mail);
	}
	return { imported: rows.length, skipped };
}

/**
 * An administrator imports an existing list (CSV: email, agreed_on, how). Each row is checked;
 * bad rows are reported by line and the good ones imported in one transaction, each subscribed
 * to `topics` and sent a welcome mail with its preferences and one-click unsubscribe links.
 * Addresses on the suppression list are never imported and subscribers already on the list are
 * left as they are, so sending the same file twice imports nothing twice.
 */
export async function importSubscribers(
	db: Kysely<DB>,
	site: UpdatesSite,
	actor: Actor | null | undefined,
	input: { csv: string; topics: string[] },
	options: { today: string; now?: string }
): Promise<ImportResult> {
	assertCan(canImportSubscribers(actor), 'Only administrators can import subscribers.');
	const now = options.now ?? nowIso();
	const errors: FieldErrors = {};
	const known = new Set((await listTopics(db)).map((t) => t.key));
	const topics = [...new Set(input.topics)];
	if (!topics.length) errors.topics = 'Choose at least one topic for the people you import.';
	else if (topics.some((t) => !known.has(t)))
		errors.topics = 'One of the topics is no longer offered. Choose again from the list.';
	const read = readImport(input.csv, options.today);
	if (!read.ok) errors.csv = read.error;
	if (!read.ok || errors.topics) return { ok: false, errors };

	const run = () =>
		db.transaction().execute(async (trx) => {
			const result = await importRows(trx, site, read.candidates, topics, now);
			await recordAudit(trx, {
				actor: actor!,
				action: 'updates.imported',
				detail: {
					imported: result.imported,
					rejected: read.rejected.length,
					skipped: result.skipped.length,
					topics: topics.length
				}
			});
			return result;
		});
	let result: Awaited<ReturnType<typeof run>>;
	try {
		result = await run();
	} catch (error) {
		// The same list sent twice at once: the other import took these addresses, so this one
		// runs again and finds them already on the list.
		if (!isUniqueViolation(error)) throw error;
		result = await run();
	}
	return {
		ok: true,
		report: {
			imported: result.imported,
			rejected: read.rejected,
			skipped: result.skipped.sort((a, b) => a.line - b.line)
		}
	};
}

/** How many subscribers there are of each kind (never who: only hashes of suppressed ones). */
export async function subscriberCounts(
	db: Kysely<DB>,
	actor: Actor | null | undefined
): Promise<{ subscribed: number; pending: number; unsubscribed: number; blocked: number }> {
	assertCan(canExportSubscribers(actor), 'Only administrators can see the subscribers.');
	const { statuses, suppressions } = await countByStatus(db);
	const status = (s: string) => statuses.find((r) => r.status === s)?.count ?? 0;
	const reason = (s: string) => suppressions.find((r) => r.reason === s)?.count ?? 0;
	return {
		subscribed: status('subscribed'),
		pending: status('pending'),
		unsubscribed: reason('unsubscribed'),
		blocked: reason('blocked')
	};
}

/** Rows read per query while exporting, so a long list is never held at once. */
export const EXPORT_PAGE_SIZE = 1000;

export const EXPORT_HEADER = ['email', 'status', 'topics', 'agreed_on', 'how', 'created'];

/**
 * The subscribers as CSV (UTF-8 with a byte-order mark, cells defused against formulas), read
 * a page at a time as the download goes. Audited when it starts.
 */
export async function exportSubscribersCsv(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	pageSize = EXPORT_PAGE_SIZE
): Promise<ReadableStream<Uint8Array>> {
	assertCan(canExportSubscribers(actor), 'Only administrators can export subscribers.');
	const counts = await countByStatus(db);
	await recordAudit(db, {
		actor: actor!,
		action: 'updates.exported',
		detail: { rows: counts.statuses.reduce((sum, r) => sum + r.count, 0) }
	});
	const encoder = new TextEncoder();
	const line = (cells: Array<string | null>) => cells.map(csvCell).join(',') + '\r\n';
	let after: string | undefined;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode('\uFEFF' + line(EXPORT_HEADER)));
				return;
			}
			const rows = await listSubscribersPage(db, { after, limit: pageSize });
			if (!rows.length) {
				controller.close();
				return;
			}
			after = rows.at(-1)!.id;
			controller.enqueue(
				encoder.encode(
					rows
						.map((r) =>
							line([
								r.email,
								r.blocked ? 'blocked' : r.status,
								r.topics.join(' '),
								r.consented_at ? r.consented_at.slice(0, 10) : null,
								r.consent_detail ?? r.consent_method,
								r.created_at.slice(0, 10)
							])
						)
						.join('')
				)
			);
		}
	});
}

/**
 * An administrator blocks an address: its subscription ends, it goes on the suppression list
 * as blocked (which no person's own choice lifts) and it is never mailed updates again.
 */
export async function blockAddressAsAdministrator(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	email: string,
	now = nowIso()
): Promise<void> {
	assertCan(canBlockAddresses(actor), 'Only administrators can block an address.');
	const address = email.trim().toLowerCase();
	await db.transaction().execute(async (trx) => {
		const subscriber = await findSubscriberByEmail(trx, address);
		if (subscriber) {
			await replaceSubscriberTopics(trx, subscriber.id, []);
			await updateSubscriber(trx, subscriber.id, {
				status: 'unsubscribed',
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				updated_at: now
			});
		}
		await suppress(trx, hashAddress(address), 'blocked', now);
		await recordAudit(trx, {
			actor: actor!,
			action: 'updates.address_blocked',
			detail: { subscribers: subscriber ? 1 : 0 }
		});
	});
}
