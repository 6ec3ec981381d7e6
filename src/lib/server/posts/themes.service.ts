import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { canManageThemes, canSuggestTheme } from './posts.permissions';
import { listThemes } from './posts.repository';
import { postSlugBase } from './posts.service';
import type { ThemeInput } from './posts.schema';
import type { Theme, ThemeStatus } from './posts.tables';

type Db = Kysely<DB> | Transaction<DB>;
export type ThemeResult = { ok: true; theme: Theme } | { ok: false; errors: FieldErrors };

const REFUSED = 'Only curators keep the list of themes.';

/** The themes offered to writers (active), by name. */
export async function activeThemes(db: Db): Promise<Theme[]> {
	return listThemes(db, ['active']);
}

/** For /blog/themes: active themes for all; suggested and retired ones for curators too. */
export async function themesPage(db: Db, actor: Actor | null | undefined) {
	const curator = canManageThemes(actor);
	const statuses: ThemeStatus[] = curator ? ['active', 'suggested', 'retired'] : ['active'];
	const all = await listThemes(db, statuses);
	return {
		curator,
		active: all.filter((t) => t.status === 'active'),
		suggested: all.filter((t) => t.status === 'suggested'),
		retired: all.filter((t) => t.status === 'retired')
	};
}

async function nameTaken(db: Db, name: string, except?: string): Promise<boolean> {
	const rows = await db.selectFrom('theme').select(['id', 'name', 'status']).execute();
	const wanted = name.trim().toLowerCase();
	return rows.some(
		(r) => r.id !== except && r.status !== 'declined' && r.name.trim().toLowerCase() === wanted
	);
}

async function freeThemeSlug(db: Db, name: string): Promise<string> {
	const base = postSlugBase(name);
	const rows = await db
		.selectFrom('theme')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	const taken = new Set(rows.map((r) => r.slug));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const DUPLICATE = 'There is already a theme with this name.';

/** A curator adds a theme (active at once); a member suggests one (it waits for a curator). */
export async function addTheme(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	input: ThemeInput
): Promise<ThemeResult> {
	assertCan(canSuggestTheme(actor) || canManageThemes(actor), 'Sign in to suggest a theme.');
	const curator = canManageThemes(actor);
	if (await nameTaken(db, input.name)) return { ok: false, errors: { name: DUPLICATE } };
	return changeContent(db, async (trx) => {
		const theme: Theme = {
			id: newId(),
			slug: await freeThemeSlug(trx, input.name),
			name: input.name,
			description: input.description || null,
			status: curator ? 'active' : 'suggested',
			suggested_by: curator || !('id' in actor!) ? null : actor.id,
			created_at: nowIso()
		};
		await trx.insertInto('theme').values(theme).execute();
		return { ok: true as const, theme };
	});
}

/** Curators rename a theme (its address stays, so links keep working). */
export async function renameTheme(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	input: ThemeInput
): Promise<ThemeResult> {
	assertCan(canManageThemes(actor), REFUSED);
	const theme = await db.selectFrom('theme').selectAll().where('id', '=', id).executeTakeFirst();
	if (!theme) return { ok: false, errors: { form: 'This theme is gone.' } };
	if (await nameTaken(db, input.name, id)) return { ok: false, errors: { name: DUPLICATE } };
	return changeContent(db, async (trx) => {
		const changes = { name: input.name, description: input.description || null };
		await trx.updateTable('theme').set(changes).where('id', '=', id).execute();
		return { ok: true as const, theme: { ...theme, ...changes } };
	});
}

/**
 * Curators decide a theme's status: accept a suggestion (active), decline it, retire an active
 * theme (posts keep it; writers no longer see it), or bring a retired one back.
 */
export async function setThemeStatus(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	status: Exclude<ThemeStatus, 'suggested'>
): Promise<Theme | undefined> {
	assertCan(canManageThemes(actor), REFUSED);
	const theme = await db.selectFrom('theme').selectAll().where('id', '=', id).executeTakeFirst();
	if (!theme) return undefined;
	const allowed: Record<ThemeStatus, ThemeStatus[]> = {
		suggested: ['active', 'declined'],
		active: ['retired'],
		retired: ['active'],
		declined: []
	};
	if (!allowed[theme.status].includes(status)) return undefined;
	return changeContent(db, async (trx) => {
		await trx.updateTable('theme').set({ status }).where('id', '=', id).execute();
		return { ...theme, status };
	});
}
