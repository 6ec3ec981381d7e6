import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import {
	selectActiveThemes,
	selectPostsPublishedBetween,
	selectThemesOfPosts
} from './posts.digest.repository';

/** A new post as the weekly digest lists it. */
export interface DigestPost {
	id: string;
	slug: string;
	title: string;
	/** Plain text from the start of the post. */
	summary: string;
	publishedAt: string;
	/** Ids of its themes (the digest's topic keys are `theme:<id>`). */
	themeIds: string[];
}

/** The most posts one digest lists; more than this in a week and the digest links to the blog. */
export const DIGEST_POSTS_LIMIT = 30;
const SUMMARY_LENGTH = 200;

function summarise(markdown: string): string {
	const text = markdownToPlainText(markdown).replace(/\s+/g, ' ').trim();
	if (text.length <= SUMMARY_LENGTH) return text;
	const cut = text.slice(0, SUMMARY_LENGTH);
	return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).trimEnd()}…`;
}

/**
 * Posts that became public (published, due and not hidden) from `since` up to `until`, oldest
 * first, with their theme ids.
 */
export async function listPostsPublishedSince(
	db: Kysely<DB>,
	since: string,
	until: string,
	limit = DIGEST_POSTS_LIMIT
): Promise<DigestPost[]> {
	const rows = await selectPostsPublishedBetween(db, since, until, limit);
	const themes = await selectThemesOfPosts(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		title: r.title,
		summary: summarise(r.body),
		publishedAt: r.published_at ?? since,
		themeIds: themes.filter((t) => t.post_id === r.id).map((t) => t.id)
	}));
}

/** Blog themes a reader can follow (active ones), for the topics of email updates. */
export async function listFollowableThemes(
	db: Kysely<DB>
): Promise<Array<{ id: string; slug: string; name: string }>> {
	return selectActiveThemes(db);
}
