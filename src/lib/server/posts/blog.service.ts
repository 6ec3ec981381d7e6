import type { Kysely } from 'kysely';
import { toPicture, type Picture } from '$lib/pictures';
import type { Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { markdownExcerpt, markdownToPlainText } from '../markdown';
import { canEditPost, isPostPublic } from './posts.permissions';
import { postImageInfo, renderPostBody } from './posts.service';
import {
	findOrganisationBySlug,
	findPostBySlug,
	findThemeBySlug,
	findUserName,
	listActiveThemes,
	listFeaturedPostCards,
	listPublicAuthors,
	listPublicOrganisations,
	listPublicPostCards,
	listPublicPostLinks,
	listRelatedPosts,
	listThemesOfPosts,
	type PostCardRow,
	type PostCursor,
	type PostFilters
} from './blog.repository';

/** Posts on one page of /blog. */
export const POSTS_PER_PAGE = 12;
/** Words a reader reads in a minute, for "5 minutes to read". */
export const WORDS_PER_MINUTE = 200;
/** Who wrote a post whose author deleted their account and chose to keep it. */
export const FORMER_MEMBER = 'a former member';

/** Minutes to read so many words: at least one. */
export function readingMinutes(wordCount: number): number {
	return Math.max(1, Math.ceil(wordCount / WORDS_PER_MINUTE));
}

/** Words in a Markdown body, as a reader counts them (no markup, no link addresses). */
export function countWords(markdown: string): number {
	const text = markdownToPlainText(markdown).replace(/\(https?:[^)\s]*\)/g, ' ');
	return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)~([A-Za-z0-9_-]{1,64})$/;

/** A cursor as it goes in an address: `2026-12-01T09:00:00.000Z~<id>`. */
export function formatPostCursor(cursor: PostCursor): string {
	return `${cursor.publishedAt}~${cursor.id}`;
}

/** Reads a cursor from an address; undefined when it is not one (hand-edited or cut short). */
export function parsePostCursor(value: string): PostCursor | undefined {
	const match = CURSOR.exec(value);
	return match ? { publishedAt: match[1]!, id: match[2]! } : undefined;
}

/** What the address asks for: filters by theme slug, author id and organisation slug. */
export interface BlogQuery {
	theme?: string;
	author?: string;
	organisation?: string;
}

const SLUG_OR_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The filters in an address; anything that could not be a slug or an id is left out. */
export function parseBlogQuery(params: URLSearchParams): BlogQuery {
	const read = (name: string) => {
		const value = params.get(name)?.trim();
		return value && SLUG_OR_ID.test(value) ? value : undefined;
	};
	return { theme: read('theme'), author: read('author'), organisation: read('organisation') };
}

/** The query string of a set of filters, in a fixed order, without empty ones. */
export function blogQueryString(query: BlogQuery): string {
	const params = new URLSearchParams();
	if (query.theme) params.set('theme', query.theme);
	if (query.author) params.set('author', query.author);
	if (query.organisation) params.set('organisation', query.organisation);
	const s = params.toString();
	return s ? `?${s}` : '';
}

/**
 * The filters an address names, found: each with its id and name, or `missing` when one names
 * a theme, person or organisation that is not there (the list is then empty, not everything).
 */
export async function resolveBlogFilters(db: Kysely<DB>, query: BlogQuery) {
	const [theme, author, organisation] = await Promise.all([
		query.theme ? findThemeBySlug(db, query.theme) : undefined,
		query.author ? findUserName(db, query.author) : undefined,
		query.organisation ? findOrganisationBySlug(db, query.organisation) : undefined
	]);
	const missing =
		(!!query.theme && !theme) ||
		(!!query.author && !author) ||
		(!!query.organisation && !organisation);
	const filters: PostFilters = {
		themeId: theme?.id,
		authorId: author?.id,
		organisationId: organisation?.id
	};
	return { filters, missing, theme, author, organisation };
}

export interface PostCard {
	id: string;
	slug: string;
	title: string;
	author: string;
	authorId: string | null;
	organisation: { slug: string; name: string } | null;
	publishedAt: string;
	minutes: number;
	themes: { slug: string; name: string }[];
	picture: Picture | null;
}

function pictureOf(row: {
	image_id: string | null;
	image_widths: string | null;
	image_width: number | null;
	image_height: number | null;
}): Picture | null {
	if (!row.image_id || !row.image_widths || !row.image_width || !row.image_height) return null;
	// Cards repeat the title beside the picture, so the picture is decoration there.
	return toPicture(
		{
			id: row.image_id,
			widths: row.image_widths,
			width: row.image_width,
			height: row.image_height
		},
		''
	);
}

/** Cards for rows of posts, with every post's themes read in one query. */
async function toCards(db: Kysely<DB>, rows: PostCardRow[]): Promise<PostCard[]> {
	const themes = await listThemesOfPosts(
		db,
		rows.map((r) => r.id)
	);
	const byPost = new Map<string, { slug: string; name: string }[]>();
	for (const t of themes) {
		const list = byPost.get(t.post_id) ?? [];
		list.push({ slug: t.slug, name: t.name });
		byPost.set(t.post_id, list);
	}
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		title: r.title,
		author: r.author_name ?? FORMER_MEMBER,
		authorId: r.author_id,
		organisation:
			r.organisation_slug && r.organisation_name
				? { slug: r.organisation_slug, name: r.organisation_name }
				: null,
		publishedAt: r.published_at!,
		minutes: readingMinutes(r.word_count),
		themes: byPost.get(r.id) ?? [],
		picture: pictureOf(r)
	}));
}

export type BlogPosition = { after?: PostCursor; before?: PostCursor };

/**
 * One page of public posts, newest first, filtered, with the cursors for the pages either side
 * (null where there is none). Two queries: the posts, then their themes.
 */
export async function listBlogPage(
	db: Kysely<DB>,
	filters: PostFilters,
	position: BlogPosition = {},
	options: { now?: string; limit?: number } = {}
): Promise<{ posts: PostCard[]; newer: PostCursor | null; older: PostCursor | null }> {
	const limit = options.limit ?? POSTS_PER_PAGE;
	const rows = await listPublicPostCards(db, {
		filters,
		now: options.now ?? nowIso(),
		limit,
		after: position.after,
		before: position.before
	});
	const more = rows.length > limit;
	const page = rows.slice(0, limit);
	const cursor = (r: PostCardRow): PostCursor => ({ publishedAt: r.published_at!, id: r.id });
	const first = page[0];
	const last = page.at(-1);
	// Reading forwards (first page or Next), more rows mean an older page; a newer page exists
	// when we came from one. Reading backwards (Previous), the reverse.
	const older = last && (position.before ? true : more) ? cursor(last) : null;
	const newer = first && (position.before ? more : !!position.after) ? cursor(first) : null;
	return { posts: await toCards(db, page), newer, older };
}

/** The filter form's choices: active themes, and the people and organisations with posts. */
export async function listBlogFilterChoices(db: Kysely<DB>, now = nowIso()) {
	const [themes, authors, organisations] = await Promise.all([
		listActiveThemes(db),
		listPublicAuthors(db, now),
		listPublicOrganisations(db, now)
	]);
	return { themes, authors, organisations };
}

/** Up to `limit` featured public posts, the most recently featured first. */
export async function listFeaturedPosts(
	db: Kysely<DB>,
	limit = 3,
	now = nowIso()
): Promise<PostCard[]> {
	return toCards(db, await listFeaturedPostCards(db, now, limit));
}

/** The first paragraph of a Markdown body as one line of plain text (for Open Graph). */
export function firstParagraph(markdown: string, maxLength = 300): string {
	for (const block of markdown.split(/\r?\n\s*\r?\n/)) {
		const trimmed = block.trim();
		if (!trimmed || trimmed.startsWith('#') || /^!\[[^\]]*\]\([^)]*\)$/.test(trimmed)) continue;
		const text = markdownExcerpt(trimmed, maxLength);
		if (text) return text;
	}
	return '';
}

/** Rendered post bodies kept in memory, by their Markdown; at most this many characters. */
const RENDERED_LIMIT_CHARS = 8_000_000;
const renderedBodies = new Map<string, { html: string; description: string }>();
let renderedChars = 0;

/**
 * A post body's HTML and its description, made once and kept (least recently used go first):
 * a post is read far more often than it is written. Keyed by the text itself, an edit never
 * shows stale HTML; the images it shows never change (an image's id is new for every upload).
 */
async function renderedBody(
	db: Kysely<DB>,
	body: string
): Promise<{ html: string; description: string }> {
	const hit = renderedBodies.get(body);
	if (hit) {
		renderedBodies.delete(body);
		renderedBodies.set(body, hit);
		return hit;
	}
	const made = {
		html: renderPostBody(body, await postImageInfo(db, body)),
		description: firstParagraph(body)
	};
	renderedBodies.set(body, made);
	renderedChars += body.length * 2 + made.html.length + made.description.length;
	for (const [key, value] of renderedBodies) {
		if (renderedChars <= RENDERED_LIMIT_CHARS) break;
		renderedBodies.delete(key);
		renderedChars -= key.length * 2 + value.html.length + value.description.length;
	}
	return made;
}

/**
 * A post for its page, or undefined when this viewer may not read it: anyone reads a public
 * post; its author and curators also read it before it is public (with `isPublic` false, for a
 * banner). Body rendered (sanitised), related posts by shared theme (up to 3).
 */
export async function readPost(
	db: Kysely<DB>,
	viewer: Actor | null | undefined,
	slug: string,
	now = nowIso()
) {
	const post = await findPostBySlug(db, slug);
	if (!post) return undefined;
	const open = isPostPublic(post, now);
	const mayManage = canEditPost(viewer, post);
	if (!open && !mayManage) return undefined;
	const [themes, rendered] = await Promise.all([
		listThemesOfPosts(db, [post.id]),
		renderedBody(db, post.body)
	]);
	const related = await listRelatedPosts(
		db,
		post.id,
		themes.map((t) => t.id),
		now,
		3
	);
	const eventIsPublic = post.event_visibility === 'public' && post.event_approval === 'approved';
	return {
		id: post.id,
		slug: post.slug,
		title: post.title,
		status: post.status,
		isPublic: open,
		hidden: post.hidden_at !== null,
		scheduled: post.status === 'published' && post.published_at !== null && post.published_at > now,
		canEdit: mayManage,
		author: post.author_name ?? FORMER_MEMBER,
		authorId: post.author_id,
		organisation:
			post.organisation_slug && post.organisation_name
				? { slug: post.organisation_slug, name: post.organisation_name }
				: null,
		publishedAt: post.published_at,
		updatedAt: post.updated_at,
		minutes: readingMinutes(post.word_count || countWords(post.body)),
		themes: themes.map((t) => ({ slug: t.slug, name: t.name })),
		html: rendered.html,
		description: rendered.description,
		picture: pictureOf(post),
		event:
			post.event_id && post.event_title && eventIsPublic
				? { id: post.event_id, title: post.event_title }
				: null,
		related: related.map((r) => ({ slug: r.slug, title: r.title, publishedAt: r.published_at! }))
	};
}

export type PostPage = NonNullable<Awaited<ReturnType<typeof readPost>>>;

/**
 * Every public post's address and when it last changed, a batch at a time (for the sitemap):
 * pass the last id of a batch to get the next; an empty batch is the end.
 */
export async function listPublicPostLinksAfter(
	db: Kysely<DB>,
	afterId: string | null,
	limit: number,
	now = nowIso()
): Promise<{ id: string; path: string; lastModified: string }[]> {
	const rows = await listPublicPostLinks(db, now, afterId, limit);
	return rows.map((r) => ({
		id: r.id,
		path: `/blog/${r.slug}`,
		lastModified: r.updated_at > r.published_at! ? r.updated_at : r.published_at!
	}));
}
