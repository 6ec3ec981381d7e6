import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import type { PostStatus } from './posts.tables';

let counter = 0;

/** Inserts a theme straight into the table, for specs of the reading side. */
export async function insertTestTheme(
	db: Kysely<DB>,
	overrides: { name?: string; slug?: string; status?: 'active' | 'suggested' | 'declined' } = {}
) {
	counter++;
	const name = overrides.name ?? `Theme ${counter}`;
	const theme = {
		id: newId(),
		slug: overrides.slug ?? `theme-${counter}-${newId().slice(0, 6).toLowerCase()}`,
		name,
		description: null,
		status: overrides.status ?? 'active',
		suggested_by: null,
		created_at: nowIso()
	};
	await db.insertInto('theme').values(theme).execute();
	return theme;
}

/**
 * Inserts a post straight into the table (public by default: published an hour ago), with
 * its themes, for specs of the reading side; the writing side has its own use cases.
 */
export async function insertTestPost(
	db: Kysely<DB>,
	overrides: {
		authorId?: string | null;
		organisationId?: string | null;
		eventId?: string | null;
		title?: string;
		slug?: string;
		body?: string;
		wordCount?: number;
		status?: PostStatus;
		publishedAt?: string | null;
		featuredAt?: string | null;
		hiddenAt?: string | null;
		commentsClosed?: number;
		firstImageId?: string | null;
		themeIds?: string[];
	} = {}
) {
	counter++;
	const now = nowIso();
	const id = newId();
	const body = overrides.body ?? `Post number ${counter} says something worth reading.`;
	const post = {
		id,
		slug:
			overrides.slug ??
			`post-${counter}-${id
				.slice(0, 6)
				.toLowerCase()
				.replace(/[^a-z0-9]/g, 'x')}`,
		author_id: overrides.authorId ?? null,
		organisation_id: overrides.organisationId ?? null,
		event_id: overrides.eventId ?? null,
		title: overrides.title ?? `Post ${counter}`,
		body,
		word_count: overrides.wordCount ?? body.split(/\s+/).filter(Boolean).length,
		first_image_id: overrides.firstImageId ?? null,
		status: overrides.status ?? 'published',
		published_at:
			overrides.publishedAt === undefined
				? new Date(Date.now() - 60 * 60 * 1000).toISOString()
				: overrides.publishedAt,
		featured_at: overrides.featuredAt ?? null,
		comments_closed: overrides.commentsClosed ?? 0,
		hidden_at: overrides.hiddenAt ?? null,
		version: 1,
		created_at: now,
		updated_at: now
	};
	await db.insertInto('post').values(post).execute();
	if (overrides.themeIds?.length) {
		await db
			.insertInto('post_theme')
			.values(overrides.themeIds.map((theme_id) => ({ post_id: id, theme_id })))
			.execute();
	}
	return post;
}

/** An organisation straight into the table. */
export async function insertTestOrganisation(db: Kysely<DB>, name = `Organisation ${++counter}`) {
	const now = nowIso();
	const organisation = {
		id: newId(),
		slug: `org-${counter}-${newId()
			.slice(0, 6)
			.toLowerCase()
			.replace(/[^a-z0-9]/g, 'x')}`,
		name,
		description: 'An organisation for a spec.',
		website: null,
		logo_image_id: null,
		created_by: null,
		created_at: now,
		updated_at: now
	};
	await db.insertInto('organisation').values(organisation).execute();
	return organisation;
}
