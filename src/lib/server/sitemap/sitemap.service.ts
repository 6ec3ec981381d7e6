import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { listPublicPostLinksAfter } from '../posts/blog.service';
import { listPublicCaseStudyLinksAfter } from '../library/case-studies.service';
import { listPublicIdeaLinksAfter } from '../ideas/ideas.service';
import { listPublicEnquiryLinksAfter } from '../enquiries/enquiries.service';
import {
	listOrganisationLinks,
	listPublicEventLinks,
	listPublicProfileLinks
} from './sitemap.repository';

/**
 * /sitemap.xml: every page a visitor can read, for search engines. Written a batch at a time,
 * so it streams. One sitemap holds at most 50,000 addresses; past that a sitemap index is
 * needed (not yet: a CoLab is far smaller).
 */

/** Rows read per query. */
export const SITEMAP_BATCH = 1000;

/** Pages that are always there for visitors. */
export const STATIC_PAGES = [
	'/',
	'/events',
	'/events/past',
	'/events/calendar',
	'/blog',
	'/library',
	'/together',
	'/statement',
	'/statement/versions',
	'/organisations',
	'/ideas',
	'/enquiries',
	'/assessments',
	'/updates',
	'/updates/archive',
	'/privacy',
	'/accessibility'
] as const;

export interface SitemapEntry {
	path: string;
	lastModified?: string;
}

/** Reads a list a batch at a time, by id, until a batch comes back short. */
async function* batches<R extends { id: string }>(
	read: (afterId: string | null, limit: number) => Promise<R[]>
): AsyncGenerator<R> {
	let after: string | null = null;
	for (;;) {
		const rows = await read(after, SITEMAP_BATCH);
		yield* rows;
		if (rows.length < SITEMAP_BATCH) return;
		after = rows[rows.length - 1]!.id;
	}
}

/** Every public page's path and, where known, when it last changed. */
export async function* sitemapEntries(
	db: Kysely<DB>,
	now = nowIso()
): AsyncGenerator<SitemapEntry> {
	for (const path of STATIC_PAGES) yield { path };
	for await (const e of batches((a, n) => listPublicEventLinks(db, a, n)))
		yield { path: `/events/${e.id}`, lastModified: e.updated_at };
	for await (const p of batches((a, n) => listPublicPostLinksAfter(db, a, n, now)))
		yield { path: p.path, lastModified: p.lastModified };
	for await (const c of batches((a, n) => listPublicCaseStudyLinksAfter(db, a, n)))
		yield { path: c.path, lastModified: c.lastModified };
	for await (const i of batches((a, n) => listPublicIdeaLinksAfter(db, a, n)))
		yield { path: i.path, lastModified: i.lastModified };
	for await (const q of batches((a, n) => listPublicEnquiryLinksAfter(db, a, n)))
		yield { path: q.path, lastModified: q.lastModified };
	for await (const o of batches((a, n) => listOrganisationLinks(db, a, n)))
		yield { path: `/organisations/${o.slug}`, lastModified: o.updated_at };
	for await (const p of batches((a, n) => listPublicProfileLinks(db, a, n)))
		yield { path: `/people/${p.id}`, lastModified: p.updated_at };
}

function xml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

/** The sitemap as chunks of XML, ready to stream. */
export async function* sitemapXml(
	db: Kysely<DB>,
	origin: string,
	now = nowIso()
): AsyncGenerator<string> {
	yield '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n';
	let chunk = '';
	for await (const entry of sitemapEntries(db, now)) {
		chunk += `\t<url><loc>${xml(origin + entry.path)}</loc>${
			entry.lastModified
				? `<lastmod>${xml(new Date(entry.lastModified).toISOString())}</lastmod>`
				: ''
		}</url>\n`;
		if (chunk.length > 16_384) {
			yield chunk;
			chunk = '';
		}
	}
	yield chunk + '</urlset>\n';
}

/** Lines of robots.txt: the private parts of the site kept out, and where the sitemap is. */
export function robotsTxt(origin: string): string {
	const disallowed = [
		'/account',
		'/admin',
		'/me',
		'/moderation',
		'/setup',
		'/sign-out',
		'/reset-password',
		'/verify-email',
		'/share/',
		'/blog/new',
		'/blog/mine',
		'/blog/review',
		'/library/new',
		'/library/mine',
		'/library/review',
		'/library/words',
		'/library/involved',
		'/ideas/new',
		'/enquiries/new',
		'/enquiries/invitations/',
		'/statement/amendments/new',
		'/statement/endorse',
		'/statement/start',
		'/statement/facilitate',
		'/events/places/',
		'/organisations/invites/',
		'/updates/confirm/',
		'/updates/preferences/',
		'/updates/unsubscribe/'
	];
	return [
		'User-agent: *',
		...disallowed.map((path) => `Disallow: ${path}`),
		'',
		`Sitemap: ${origin}/sitemap.xml`,
		''
	].join('\n');
}
