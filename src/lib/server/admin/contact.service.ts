import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import { pageCache } from '../cache/page-cache';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors, type FormValues } from '../forms';
import { deleteSetting, writeSetting } from '../settings/settings.repository';
import { canChangeContactDetails } from './admin.permissions';

/**
 * How people reach whoever runs this CoLab: shown in the footer, the accessibility statement
 * and the privacy notice. Every part is optional; an empty one is not shown.
 */
export interface ContactDetails {
	email: string | null;
	phone: string | null;
	address: string | null;
}

export const CONTACT_EMAIL_MAX = 254;
export const CONTACT_PHONE_MAX = 40;
export const CONTACT_ADDRESS_MAX = 500;

const KEYS = {
	email: 'contact.email',
	phone: 'contact.phone',
	address: 'contact.address'
} as const satisfies Record<keyof ContactDetails, string>;

const optional = (max: number, tooLong: string) =>
	z
		.string()
		.optional()
		.transform((v) => (v ?? '').trim())
		.pipe(z.string().max(max, tooLong));

/** The contact details form (on /admin/settings and at first set-up). */
export const contactSchema = z.object({
	contactEmail: optional(
		CONTACT_EMAIL_MAX,
		`The email address must be ${CONTACT_EMAIL_MAX} characters or fewer`
	).pipe(
		z.union([
			z.literal(''),
			z.email('Enter the email address in the right format, like help@example.org')
		])
	),
	contactPhone: optional(
		CONTACT_PHONE_MAX,
		`The phone number must be ${CONTACT_PHONE_MAX} characters or fewer`
	).pipe(
		z
			.string()
			.regex(
				/^$|^\+?[0-9][0-9 ()-]{5,}[0-9]$/,
				'Enter a phone number with digits only, like 020 7946 0000 or +44 20 7946 0000'
			)
	),
	contactAddress: optional(
		CONTACT_ADDRESS_MAX,
		`The postal address must be ${CONTACT_ADDRESS_MAX.toLocaleString('en-GB')} characters or fewer`
	)
});

/** The form's fields, in the order they are shown. */
export const CONTACT_FIELDS = ['contactEmail', 'contactPhone', 'contactAddress'] as const;

/** Checks the contact details form; an empty field means "not given". */
export function parseContactDetails(
	values: FormValues
): { ok: true; details: ContactDetails } | { ok: false; errors: FieldErrors } {
	const first = (name: string) => {
		const v = values[name];
		return Array.isArray(v) ? v[0] : v;
	};
	const parsed = contactSchema.safeParse(
		Object.fromEntries(CONTACT_FIELDS.map((name) => [name, first(name)]))
	);
	if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
	const { contactEmail, contactPhone, contactAddress } = parsed.data;
	return {
		ok: true,
		details: {
			email: contactEmail ? contactEmail.toLowerCase() : null,
			phone: contactPhone || null,
			address: contactAddress ? contactAddress.replace(/\r\n?/g, '\n') : null
		}
	};
}

const remembered = new WeakMap<Kysely<DB>, { generation: number; details: ContactDetails }>();

/**
 * The contact details as stored. The root layout shows them on every page, so they are kept in
 * memory until the page cache's generation moves on: every content change (here or on another
 * instance, which the page cache hears about) starts a new one.
 */
export async function readContactDetails(db: Kysely<DB>): Promise<ContactDetails> {
	const cache = pageCache();
	const generation = cache.generation;
	const kept = remembered.get(db);
	if (cache.enabled && kept?.generation === generation) return kept.details;
	const rows = await db
		.selectFrom('instance_setting')
		.select(['key', 'value'])
		.where('key', 'in', Object.values(KEYS))
		.execute();
	const value = (key: string) => rows.find((r) => r.key === key)?.value || null;
	const details = {
		email: value(KEYS.email),
		phone: value(KEYS.phone),
		address: value(KEYS.address)
	};
	if (cache.enabled) remembered.set(db, { generation, details });
	return details;
}

/**
 * Writes checked contact details inside the caller's transaction, with an audit entry (which
 * parts are set, not what they say). The caller makes it a content change.
 */
export async function writeContactDetails(
	trx: Transaction<DB>,
	actor: Actor | null | undefined,
	details: ContactDetails
): Promise<void> {
	assertCan(canChangeContactDetails(actor), 'Only administrators can change the contact details.');
	for (const part of Object.keys(KEYS) as (keyof ContactDetails)[]) {
		const value = details[part];
		if (value) await writeSetting(trx, KEYS[part], value);
		else await deleteSetting(trx, KEYS[part]);
	}
	await recordAudit(trx, {
		actor: actor ?? null,
		action: 'settings.contact_changed',
		detail: { email: !!details.email, phone: !!details.phone, address: !!details.address }
	});
}

/** An administrator sets how people can contact the people who run this CoLab. */
export async function saveContactDetails(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	values: FormValues
): Promise<{ ok: true; details: ContactDetails } | { ok: false; errors: FieldErrors }> {
	assertCan(canChangeContactDetails(actor), 'Only administrators can change the contact details.');
	const parsed = parseContactDetails(values);
	if (!parsed.ok) return parsed;
	await changeContent(db, (trx) => writeContactDetails(trx, actor, parsed.details));
	return parsed;
}
