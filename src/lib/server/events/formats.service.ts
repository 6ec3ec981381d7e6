import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_FORMAT_LOOK } from '$lib/events/format-looks';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { fieldErrors, type FieldErrors, type FormValues } from '../forms';
import { nowIso } from '../ids';
import { slugify } from '../organisations/organisations.service';
import { canManageFormats } from './events.permissions';
import { formatSchema } from './events.schema';
import type { EventFormat } from './events.tables';
import { refreshEventSearchOfFormat } from './events.search';

type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };

const MANAGE = 'Only curators can add or change formats.';

const SAME_NAME = 'There is already a format with that name';

/** Whether another format already has this name, ignoring case and spacing. */
async function nameTaken(
	db: Kysely<DB> | Transaction<DB>,
	name: string,
	except?: string
): Promise<boolean> {
	const wanted = name.toLowerCase().replace(/\s+/g, ' ');
	const formats = await db.selectFrom('event_format').select(['id', 'name']).execute();
	return formats.some(
		(f) => f.id !== except && f.name.toLowerCase().replace(/\s+/g, ' ') === wanted
	);
}

/** The format's address: from its name, with -2, -3… when another format has it already. */
async function chooseId(trx: Transaction<DB>, name: string): Promise<string> {
	const slug = slugify(name).slice(0, 60);
	const base = slug === 'organisation' && !/organi[sz]ation/i.test(name) ? 'format' : slug;
	const taken = new Set(
		(await trx.selectFrom('event_format').select('id').execute()).map((f) => f.id)
	);
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A curator adds a kind of event (say, "Walk and talk"), with which tools its events get. */
export async function addFormat(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true; format: EventFormat } | Invalid> {
	assertCan(canManageFormats(actor), MANAGE);
	const parsed = formatSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	try {
		return await changeContent(db, async (trx) => {
			if (await nameTaken(trx, parsed.data.name)) {
				return { ok: false as const, reason: 'invalid' as const, errors: { name: SAME_NAME } };
			}
			const id = await chooseId(trx, parsed.data.name);
			const last = await trx
				.selectFrom('event_format')
				.select((eb) => eb.fn.max('position').as('last'))
				.executeTakeFirst();
			const format: EventFormat = {
				id,
				...parsed.data,
				colour: parsed.data.colour ?? DEFAULT_FORMAT_LOOK.colour,
				icon: parsed.data.icon ?? DEFAULT_FORMAT_LOOK.icon,
				position: Number(last?.last ?? 0) + 1,
				created_by: actor && 'id' in actor ? actor.id : null,
				created_at: now
			};
			await trx.insertInto('event_format').values(format).execute();
			return { ok: true as const, format };
		});
	} catch (caught) {
		if (isUniqueViolation(caught)) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { name: 'There is already a format with that name' }
			};
		}
		throw caught;
	}
}

/**
 * A curator rewords a format, or changes its colour and icon. Its address (id) stays, so links
 * and feeds keep working.
 */
export async function updateFormat(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	formatId: string,
	values: FormValues
): Promise<{ ok: true } | Invalid | { ok: false; reason: 'not_found' }> {
	assertCan(canManageFormats(actor), MANAGE);
	const parsed = formatSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	try {
		return await changeContent(db, async (trx) => {
			if (await nameTaken(trx, parsed.data.name, formatId)) {
				return { ok: false as const, reason: 'invalid' as const, errors: { name: SAME_NAME } };
			}
			const before = await trx
				.selectFrom('event_format')
				.select('name')
				.where('id', '=', formatId)
				.executeTakeFirst();
			if (!before) return { ok: false as const, reason: 'not_found' as const };
			const { colour, icon, ...words } = parsed.data;
			const result = await trx
				.updateTable('event_format')
				.set({ ...words, ...(colour ? { colour } : {}), ...(icon ? { icon } : {}) })
				.where('id', '=', formatId)
				.executeTakeFirst();
			if (!Number(result.numUpdatedRows))
				return { ok: false as const, reason: 'not_found' as const };
			// Its events' documents name it: search follows the new name at once.
			if (words.name !== before.name) await refreshEventSearchOfFormat(trx, formatId);
			return { ok: true as const };
		});
	} catch (caught) {
		if (isUniqueViolation(caught)) {
			return {
				ok: false,
				reason: 'invalid',
				errors: { name: 'There is already a format with that name' }
			};
		}
		throw caught;
	}
}
