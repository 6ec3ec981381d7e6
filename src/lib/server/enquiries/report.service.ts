import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { viewDecision } from '../decisions/decisions.service';
import { newId, nowIso } from '../ids';
import { viewIdea } from '../ideas/ideas.service';
import { renderMarkdown } from '../markdown';
import { isCurator } from '../moderation/moderation.permissions';
import { viewPilot } from '../pilots/pilots.service';
import { savePost } from '../posts/posts.service';
import { refreshSearchDocument } from '../search/search.repository';
import { saveAnnouncementDraft } from '../updates/announcements.drafts.service';
import { findEnquiryAccess } from './enquiries.access';
import { ENQUIRY_SEARCH } from './enquiries.search';
import {
	canDeleteRawMaterial,
	canPublishReport,
	canSeeRawMaterial,
	canWriteReport
} from './enquiries.permissions';
import type { Enquiry, FollowOnKind, Perspective, QuoteConsent } from './enquiries.tables';
import {
	PERSPECTIVE_LABELS,
	QUOTE_CONSENT_LABELS,
	attributeQuote,
	type Speaker
} from './perspectives';
import {
	countExcerpts,
	deleteFollowOn,
	deleteQuoteRow,
	deleteRawRows,
	deleteSectionRow,
	findExcerptWithSpeaker,
	findQuote,
	findSection,
	insertFollowOn,
	insertQuote,
	insertSection,
	listCodeNames,
	listEnquiriesLeadingTo,
	listExcerptsPage,
	listFollowOns,
	listQuotedExcerptIds,
	listQuotedParticipants,
	listQuotesWithSpeakers,
	listSectionQuoteOrder,
	listSections,
	nextQuotePosition,
	nextSectionPosition,
	setQuotePosition,
	updateEnquiryReport,
	updateSectionRow
} from './report.repository';
import type { FollowOnInput, ReportDetailsInput, SectionInput } from './report.schema';

type Db = Kysely<DB>;

/** Excerpts on one page of the quote picker. */
export const EXCERPTS_PAGE_SIZE = 20;

const TEAM_ONLY = 'Only the enquiry’s team can see its draft report.';
const WRITE_REFUSED =
	'Only the enquiry’s team can change its report, and only until it is published.';

export type ReportRefusalReason =
	| 'not-found'
	| 'no-consent'
	| 'withdrawn'
	| 'already-quoted'
	| 'bad-theme'
	| 'not-a-link'
	| 'link-not-found'
	| 'already-linked';

/** The sentence a person reads for each refusal. */
export function describeReportRefusal(reason: ReportRefusalReason): string {
	switch (reason) {
		case 'not-found':
			return 'We could not find that. It may have been deleted by someone else on the team.';
		case 'no-consent':
			return 'This person did not agree to be quoted, so their words cannot go in the report.';
		case 'withdrawn':
			return 'This person has withdrawn from the enquiry, so their words cannot go in the report.';
		case 'already-quoted':
			return 'That passage is already quoted in this section.';
		case 'bad-theme':
			return 'Choose a theme from the codebook, or none.';
		case 'not-a-link':
			return 'That is not the address of a decision, idea or pilot. It should look like /decisions/…, /ideas/… or /pilots/….';
		case 'link-not-found':
			return 'We could not find a public decision, idea or pilot at that address. Check it is published and the address is complete.';
		case 'already-linked':
			return 'That is already linked to this enquiry.';
	}
}

type Failure = { ok: false; reason: ReportRefusalReason };
const fail = (reason: ReportRefusalReason): Failure => ({ ok: false, reason });

/** Why a speaker's words would not show now, or null when they would. */
export function whyNotShown(speaker: Speaker): string | null {
	if (speaker.withdrawn_at !== null) return 'They withdrew from the enquiry.';
	if (speaker.consent_take_part !== 1) return 'They have not agreed to take part.';
	if (speaker.consent_quote === 'none') return 'They asked not to be quoted.';
	return null;
}

async function access(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	return findEnquiryAccess(db, enquiryId, isPerson(actor) ? actor.id : null);
}

// ---------------------------------------------------------------------------------------------
// The report as it reads

export interface ReportQuoteView {
	id: string;
	text: string;
	attribution: string;
}

export interface ReportSectionView {
	id: string;
	heading: string;
	bodyHtml: string;
	theme: string | null;
	quotes: ReportQuoteView[];
	/** Quotes the team added that do not show now (speaker withdrew or changed consent). */
	hiddenQuotes: number;
}

export interface FollowOnView {
	kind: FollowOnKind;
	kindLabel: string;
	targetId: string;
	title: string;
	path: string;
}

/** A report as readers see it: what `<PublishedReport report={…} />` takes. */
export interface ReportView {
	enquiryId: string;
	enquiryTitle: string;
	title: string;
	summaryHtml: string;
	publishedAt: string | null;
	sections: ReportSectionView[];
	followOns: FollowOnView[];
}

export const FOLLOW_ON_LABELS: Record<FollowOnKind, string> = {
	decision: 'Decision',
	idea: 'Idea',
	pilot: 'Pilot'
};

/**
 * The report with consent applied now: sections, then every quote joined with its speaker (one
 * query), then follow-ons. A quote whose speaker may not be quoted now is left out entirely.
 */
async function buildReport(db: Db, enquiry: Enquiry): Promise<ReportView> {
	const [sections, quotes, followOns] = await Promise.all([
		listSections(db, enquiry.id),
		listQuotesWithSpeakers(db, enquiry.id),
		listFollowOns(db, enquiry.id)
	]);
	const bySection = new Map<string, { quotes: ReportQuoteView[]; hidden: number }>();
	for (const q of quotes) {
		const entry = bySection.get(q.section_id) ?? { quotes: [], hidden: 0 };
		bySection.set(q.section_id, entry);
		const attribution = attributeQuote(q);
		if (attribution === null) entry.hidden++;
		else entry.quotes.push({ id: q.id, text: q.text, attribution });
	}
	return {
		enquiryId: enquiry.id,
		enquiryTitle: enquiry.title,
		title: enquiry.report_title || enquiry.title,
		summaryHtml: enquiry.report_summary
			? renderMarkdown(enquiry.report_summary, { headingOffset: 2 })
			: '',
		publishedAt: enquiry.published_at,
		sections: sections.map((s) => ({
			id: s.id,
			heading: s.heading,
			bodyHtml: renderMarkdown(s.body, { headingOffset: 2 }),
			theme: s.code_name,
			quotes: bySection.get(s.id)?.quotes ?? [],
			hiddenQuotes: bySection.get(s.id)?.hidden ?? 0
		})),
		followOns: followOns.map((f) => ({
			kind: f.kind,
			kindLabel: FOLLOW_ON_LABELS[f.kind],
			targetId: f.target_id,
			title: f.title,
			path: f.path
		}))
	};
}

/**
 * The published report for everyone: title, summary, sections with the quotes their speakers
 * allow at this moment, and follow-on links. Null when there is no such enquiry or it is not
 * published.
 */
export async function readPublishedReport(db: Db, enquiryId: string): Promise<ReportView | null> {
	const enquiry = await db
		.selectFrom('enquiry')
		.selectAll()
		.where('id', '=', enquiryId)
		.executeTakeFirst();
	if (!enquiry || enquiry.stage !== 'published') return null;
	const report = await buildReport(db, enquiry);
	// Readers never learn that a quote was taken out.
	for (const s of report.sections) s.hiddenQuotes = 0;
	return report;
}

/** The draft report as it will read, for the team; what each of them may do with it. */
export async function viewDraftReport(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), TEAM_ONLY);
	return {
		enquiry: found.enquiry,
		role: found.role,
		report: await buildReport(db, found.enquiry),
		canWrite: canWriteReport(actor, found),
		canPublish: canPublishReport(actor, found),
		canDeleteRaw: canDeleteRawMaterial(actor, found)
	};
}

/** The report for the print layout: anyone once published; before that, the team only. */
export async function viewReportForPrint(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
): Promise<{ report: ReportView; draft: boolean } | undefined> {
	const published = await readPublishedReport(db, enquiryId);
	if (published) return { report: published, draft: false };
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), TEAM_ONLY);
	const report = await buildReport(db, found.enquiry);
	for (const s of report.sections) s.hiddenQuotes = 0;
	return { report, draft: true };
}

// ---------------------------------------------------------------------------------------------
// Writing: title, summary and sections

async function writable(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canWriteReport(actor, found), WRITE_REFUSED);
	return { ...found, user: actor };
}

/** The report's title and summary, for their form (team only, until published). */
export async function reportDetailsForEditing(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const found = await writable(db, actor, enquiryId);
	if (!found) return undefined;
	return {
		enquiry: found.enquiry,
		role: found.role,
		values: {
			title: found.enquiry.report_title ?? found.enquiry.title,
			summary: found.enquiry.report_summary ?? ''
		}
	};
}

/** The team sets the report's title and opening summary. */
export async function saveReportDetails(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: ReportDetailsInput,
	now = nowIso()
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	await updateEnquiryReport(db, enquiryId, {
		report_title: input.title,
		report_summary: input.summary || null,
		updated_at: now
	});
	return { ok: true };
}

/** The codebook's names, for choosing a section's theme. */
async function themeChoices(db: Db, enquiryId: string) {
	return (await listCodeNames(db, enquiryId)).map((c) => ({ id: c.id, name: c.name }));
}

async function checkTheme(db: Db, enquiryId: string, theme: string, current: string | null) {
	if (!theme || theme === current) return true;
	return (await listCodeNames(db, enquiryId)).some((c) => c.name === theme);
}

/** What the form for a new section needs (team only, until published). */
export async function newSectionForm(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const found = await writable(db, actor, enquiryId);
	if (!found) return undefined;
	return { enquiry: found.enquiry, role: found.role, themes: await themeChoices(db, enquiryId) };
}

/** The team adds a section at the end of the report. */
export async function addSection(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: SectionInput,
	now = nowIso()
): Promise<{ ok: true; sectionId: string } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	if (!(await checkTheme(db, enquiryId, input.theme, null))) return fail('bad-theme');
	const sectionId = newId();
	await db.transaction().execute(async (trx) => {
		await insertSection(trx, {
			id: sectionId,
			enquiry_id: enquiryId,
			position: await nextSectionPosition(trx, enquiryId),
			heading: input.heading,
			body: input.body,
			code_name: input.theme || null,
			updated_by: found.user.id,
			created_at: now,
			updated_at: now
		});
	});
	return { ok: true, sectionId };
}

/** A section for its edit form, with its quotes as they show now (team only, until published). */
export async function sectionForEditing(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string
) {
	const found = await writable(db, actor, enquiryId);
	if (!found) return undefined;
	const section = await findSection(db, enquiryId, sectionId);
	if (!section) return undefined;
	const quotes = (await listQuotesWithSpeakers(db, enquiryId)).filter(
		(q) => q.section_id === sectionId
	);
	return {
		enquiry: found.enquiry,
		role: found.role,
		section,
		themes: await themeChoices(db, enquiryId),
		values: { heading: section.heading, body: section.body, theme: section.code_name ?? '' },
		quotes: quotes.map((q) => ({
			id: q.id,
			text: q.text,
			attribution: attributeQuote(q),
			whyNot: whyNotShown(q)
		}))
	};
}

/** The team changes a section's heading, body or theme. */
export async function editSection(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string,
	input: SectionInput,
	now = nowIso()
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	const section = await findSection(db, enquiryId, sectionId);
	if (!section) return fail('not-found');
	if (!(await checkTheme(db, enquiryId, input.theme, section.code_name))) return fail('bad-theme');
	await updateSectionRow(db, sectionId, {
		heading: input.heading,
		body: input.body,
		code_name: input.theme || null,
		updated_by: found.user.id,
		updated_at: now
	});
	return { ok: true };
}

/** The team moves a section up or down the report (swapping with its neighbour). */
export async function moveSection(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string,
	direction: 'up' | 'down'
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	return db.transaction().execute(async (trx) => {
		const sections = await listSections(trx, enquiryId);
		const at = sections.findIndex((s) => s.id === sectionId);
		if (at === -1) return fail('not-found');
		const to = direction === 'up' ? at - 1 : at + 1;
		if (to < 0 || to >= sections.length) return { ok: true as const };
		[sections[at], sections[to]] = [sections[to]!, sections[at]!];
		// Renumber all, so equal or missing positions cannot make a move do nothing.
		for (const [i, s] of sections.entries())
			if (s.position !== i + 1) await updateSectionRow(trx, s.id, { position: i + 1 });
		return { ok: true as const };
	});
}

/** The team deletes a section and its quotes. */
export async function deleteSection(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	const section = await findSection(db, enquiryId, sectionId);
	if (!section) return fail('not-found');
	await deleteSectionRow(db, sectionId);
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Quotes

/**
 * The quote picker: excerpts of one code (by default the section's theme), a page at a time,
 * each with how its speaker would be attributed now, or why they cannot be quoted.
 */
export async function quotePicker(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string,
	query: { code?: string | null; page: number }
) {
	const found = await writable(db, actor, enquiryId);
	if (!found) return undefined;
	const section = await findSection(db, enquiryId, sectionId);
	if (!section) return undefined;
	const codes = await listCodeNames(db, enquiryId);
	const chosen =
		query.code === 'all'
			? null
			: (codes.find((c) => c.id === query.code) ??
				(query.code ? undefined : codes.find((c) => c.name === section.code_name)) ??
				null);
	const codeId = chosen?.id ?? null;
	const [total, rows, quoted] = await Promise.all([
		countExcerpts(db, enquiryId, codeId),
		listExcerptsPage(db, enquiryId, codeId, {
			limit: EXCERPTS_PAGE_SIZE,
			offset: (query.page - 1) * EXCERPTS_PAGE_SIZE
		}),
		listQuotedExcerptIds(db, sectionId)
	]);
	const quotedSet = new Set(quoted);
	return {
		enquiry: found.enquiry,
		role: found.role,
		section: { id: section.id, heading: section.heading, theme: section.code_name },
		codes: codes.map((c) => ({ id: c.id, name: c.name })),
		codeId: codeId ?? 'all',
		total,
		totalPages: Math.max(1, Math.ceil(total / EXCERPTS_PAGE_SIZE)),
		excerpts: rows.map((r) => ({
			id: r.id,
			text: r.text,
			attribution: attributeQuote(r),
			whyNot: whyNotShown(r),
			quoted: quotedSet.has(r.id)
		}))
	};
}

/**
 * The team adds a coded excerpt to a section as a quote: its words copied as they are. Refused
 * when its speaker has not agreed to be quoted, has withdrawn, or it is already there.
 */
export async function addQuote(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	sectionId: string,
	excerptId: string,
	now = nowIso()
): Promise<{ ok: true; quoteId: string } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	return db.transaction().execute(async (trx) => {
		const section = await findSection(trx, enquiryId, sectionId);
		const excerpt = await findExcerptWithSpeaker(trx, enquiryId, excerptId);
		if (!section || !excerpt) return fail('not-found');
		if (excerpt.withdrawn_at !== null) return fail('withdrawn');
		if (attributeQuote(excerpt) === null) return fail('no-consent');
		if ((await listQuotedExcerptIds(trx, sectionId)).includes(excerptId))
			return fail('already-quoted');
		const quoteId = newId();
		await insertQuote(trx, {
			id: quoteId,
			section_id: sectionId,
			enquiry_id: enquiryId,
			participant_id: excerpt.participant_id,
			excerpt_id: excerpt.id,
			text: excerpt.text,
			position: await nextQuotePosition(trx, sectionId),
			added_by: found.user.id,
			added_at: now
		});
		return { ok: true as const, quoteId };
	});
}

/** The team moves a quote up or down within its section. */
export async function moveQuote(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	quoteId: string,
	direction: 'up' | 'down'
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	return db.transaction().execute(async (trx) => {
		const quote = await findQuote(trx, enquiryId, quoteId);
		if (!quote) return fail('not-found');
		const order = await listSectionQuoteOrder(trx, quote.section_id);
		const at = order.findIndex((q) => q.id === quoteId);
		const to = direction === 'up' ? at - 1 : at + 1;
		if (to < 0 || to >= order.length) return { ok: true as const };
		[order[at], order[to]] = [order[to]!, order[at]!];
		for (const [i, q] of order.entries())
			if (q.position !== i + 1) await setQuotePosition(trx, q.id, i + 1);
		return { ok: true as const };
	});
}

/** The team takes a quote out of the report. */
export async function removeQuote(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	quoteId: string
): Promise<{ ok: true } | Failure> {
	const found = await writable(db, actor, enquiryId);
	if (!found) return fail('not-found');
	const quote = await findQuote(db, enquiryId, quoteId);
	if (!quote) return fail('not-found');
	await deleteQuoteRow(db, quoteId);
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// The consent check and publishing

export interface QuotedParticipant {
	id: string;
	label: string;
	perspective: Perspective;
	perspectiveLabel: string;
	consentQuote: QuoteConsent;
	consentLabel: string;
	recordedAt: string;
	recordedBy: string;
	quotes: number;
	attribution: string | null;
	/** Why their quotes will not show, or null when they will. */
	willNotShow: string | null;
}

/**
 * Before publishing: each participant quoted in the report, with their current consent, when and
 * by whom it was recorded, how many quotes, and whether (and how) those quotes will show. The
 * lead only, until published.
 */
export async function consentCheck(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canPublishReport(actor, found), 'Only the enquiry’s lead can publish its report.');
	const rows = await listQuotedParticipants(db, enquiryId);
	const people: QuotedParticipant[] = rows.map((r) => ({
		id: r.id,
		label: r.label,
		perspective: r.perspective,
		perspectiveLabel: PERSPECTIVE_LABELS[r.perspective].label,
		consentQuote: r.consent_quote,
		consentLabel: r.withdrawn_at ? 'Withdrawn' : QUOTE_CONSENT_LABELS[r.consent_quote],
		recordedAt: r.withdrawn_at ?? r.consent_recorded_at,
		recordedBy: r.recorded_by_name ?? 'A former team member',
		quotes: Number(r.quotes),
		attribution: attributeQuote(r),
		willNotShow: whyNotShown(r)
	}));
	const sections = await listSections(db, enquiryId);
	return {
		enquiry: found.enquiry,
		role: found.role,
		people,
		sections: sections.length,
		showing: people.filter((p) => !p.willNotShow),
		notShowing: people.filter((p) => p.willNotShow)
	};
}

export interface PublishOptions {
	/** Start a blog post draft about the report, by the publisher. */
	blogPost?: boolean;
	/** Start an email announcement draft (curators only). */
	announcement?: boolean;
	timeZone: string;
	now?: string;
}

export interface PublishResult {
	ok: true;
	/** The blog post draft's edit address, when one was started. */
	postEditPath: string | null;
	/** The announcement draft's edit address, when one was started. */
	announcementEditPath: string | null;
	/** Why a requested draft could not be started (the report is published all the same). */
	draftProblems: string[];
}

/**
 * The lead publishes the report: the stage becomes published in one transaction that also tells
 * the page cache. Then, if asked, a blog post draft and (curators only) an announcement draft are
 * started through their own features.
 */
export async function publishReport(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	options: PublishOptions
): Promise<PublishResult | Failure> {
	const now = options.now ?? nowIso();
	const found = await access(db, actor, enquiryId);
	if (!found) return fail('not-found');
	assertCan(canPublishReport(actor, found), 'Only the enquiry’s lead can publish its report.');
	const title = found.enquiry.report_title || found.enquiry.title;
	await changeContent(db, async (trx) => {
		await updateEnquiryReport(trx, enquiryId, {
			stage: 'published',
			published_at: now,
			report_title: title,
			updated_at: now
		});
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, enquiryId);
		await recordAudit(trx, {
			actor,
			action: 'enquiry.published',
			target: { type: 'enquiry', id: enquiryId }
		});
	});
	const path = `/enquiries/${enquiryId}`;
	const result: PublishResult = {
		ok: true,
		postEditPath: null,
		announcementEditPath: null,
		draftProblems: []
	};
	const body = `The report of our enquiry, **${found.enquiry.title}**, is published. Read it here: [${title}](${path}).`;
	if (options.blogPost) {
		const saved = await savePost(
			db,
			actor,
			{
				title: `Report published: ${title}`.slice(0, 200),
				body,
				themes: [],
				organisationId: '',
				eventId: '',
				publishAt: '',
				website: ''
			},
			{ intent: 'draft', timeZone: options.timeZone, now }
		);
		if (saved.ok) result.postEditPath = `/blog/${saved.post.slug}/edit`;
		else
			result.draftProblems.push(
				`The blog post draft was not started: ${Object.values(saved.errors).join(' ')}`
			);
	}
	if (options.announcement && isCurator(actor)) {
		const draft = newId();
		const saved = await saveAnnouncementDraft(
			db,
			actor,
			{
				draft,
				title: `Report published: ${title}`.slice(0, 200),
				body,
				topics: [],
				when: 'now',
				sendAt: ''
			},
			options.timeZone,
			now
		);
		if (saved.ok) result.announcementEditPath = `/updates/announcements/new?edit=${saved.id}`;
		else result.draftProblems.push('The announcement draft was not started.');
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// Follow-on links

const FOLLOW_ON_PATH = /^\/(decisions|ideas|pilots)\/([A-Za-z0-9_-]{1,200})\/?$/;
const KIND_OF: Record<string, FollowOnKind> = {
	decisions: 'decision',
	ideas: 'idea',
	pilots: 'pilot'
};

/** "/ideas/repair-cafe", or a full address on any host, to its kind and slug. */
export function parseFollowOnAddress(address: string): { kind: FollowOnKind; slug: string } | null {
	let path = address.trim();
	if (/^https?:\/\//i.test(path)) {
		try {
			path = new URL(path).pathname;
		} catch {
			return null;
		}
	}
	path = path.split(/[?#]/)[0] ?? '';
	const match = FOLLOW_ON_PATH.exec(path);
	if (!match) return null;
	return { kind: KIND_OF[match[1]!]!, slug: match[2]! };
}

/** Looks the address up through its own feature, as a visitor would see it. */
async function findPublicTarget(
	db: Db,
	kind: FollowOnKind,
	slug: string,
	timeZone: string
): Promise<{ id: string; title: string; path: string } | undefined> {
	if (kind === 'idea') {
		const found = await viewIdea(db, null, slug);
		return found && { id: found.idea.id, title: found.idea.title, path: `/ideas/${slug}` };
	}
	if (kind === 'decision') {
		const found = await viewDecision(db, null, slug, timeZone);
		return (
			found && {
				id: found.decision.id,
				title: found.decision.question,
				path: `/decisions/${slug}`
			}
		);
	}
	const found = await viewPilot(db, null, slug);
	return found && { id: found.pilot.id, title: found.pilot.title, path: `/pilots/${slug}` };
}

/** The follow-on links and their form (the team, at any stage). */
export async function followOnsForEditing(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can link what followed.');
	const rows = await listFollowOns(db, enquiryId);
	return {
		enquiry: found.enquiry,
		role: found.role,
		followOns: rows.map((f) => ({
			kind: f.kind,
			kindLabel: FOLLOW_ON_LABELS[f.kind],
			targetId: f.target_id,
			title: f.title,
			path: f.path
		}))
	};
}

/**
 * The team links a decision, idea or pilot that followed from the enquiry, by its address. Only
 * public ones are accepted. Allowed after publishing too: what follows often comes later.
 */
export async function addFollowOn(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: FollowOnInput,
	timeZone: string,
	now = nowIso()
): Promise<{ ok: true; title: string } | Failure> {
	const found = await access(db, actor, enquiryId);
	if (!found) return fail('not-found');
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can link what followed.');
	const parsed = parseFollowOnAddress(input.address);
	if (!parsed) return fail('not-a-link');
	const target = await findPublicTarget(db, parsed.kind, parsed.slug, timeZone);
	if (!target) return fail('link-not-found');
	try {
		await changeContent(db, (trx) =>
			insertFollowOn(trx, {
				enquiry_id: enquiryId,
				kind: parsed.kind,
				target_id: target.id,
				title: target.title,
				path: target.path,
				added_by: actor.id,
				added_at: now
			})
		);
	} catch (caught) {
		if (isUniqueViolation(caught)) return fail('already-linked');
		throw caught;
	}
	return { ok: true, title: target.title };
}

/** The team removes a follow-on link. */
export async function removeFollowOn(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	kind: FollowOnKind,
	targetId: string
): Promise<{ ok: true } | Failure> {
	const found = await access(db, actor, enquiryId);
	if (!found) return fail('not-found');
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can change these links.');
	await changeContent(db, (trx) => deleteFollowOn(trx, enquiryId, kind, targetId));
	return { ok: true };
}

/** Published enquiries that led to a decision, idea or pilot: for its page's "Came from" line. */
export async function enquiriesThatLedTo(db: Db, kind: FollowOnKind, targetId: string) {
	const rows = await listEnquiriesLeadingTo(db, kind, targetId);
	return rows.map((r) => ({ title: r.report_title || r.title, path: `/enquiries/${r.id}` }));
}

// ---------------------------------------------------------------------------------------------
// Deleting the raw material

/** What the confirm page needs (the lead only, once published). */
export async function rawMaterialForDeleting(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(
		canDeleteRawMaterial(actor, found),
		found.raw_deleted_at
			? 'The raw material of this enquiry has already been deleted.'
			: 'Only the enquiry’s lead can delete its raw material, and only after the report is published.'
	);
	const counts = await Promise.all(
		(['enquiry_interview', 'enquiry_excerpt', 'enquiry_code', 'enquiry_memo'] as const).map(
			async (table) =>
				Number(
					(
						await db
							.selectFrom(table)
							.select((eb) => eb.fn.countAll().as('n'))
							.where('enquiry_id', '=', enquiryId)
							.executeTakeFirst()
					)?.n ?? 0
				)
		)
	);
	const [interviews, excerpts, codes, memos] = counts as [number, number, number, number];
	return { enquiry: found.enquiry, role: found.role, interviews, excerpts, codes, memos };
}

/**
 * The lead deletes the transcripts, excerpts, codes and memos after publishing, in one
 * transaction. The report, its quotes, and the participants' labels and consent stay, so a later
 * withdrawal still removes their quotes.
 */
export async function deleteRawMaterial(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	now = nowIso()
): Promise<{ ok: true } | Failure> {
	const found = await access(db, actor, enquiryId);
	if (!found) return fail('not-found');
	assertCan(
		canDeleteRawMaterial(actor, found),
		'Only the enquiry’s lead can delete its raw material, and only after the report is published.'
	);
	await db.transaction().execute(async (trx) => {
		await deleteRawRows(trx, enquiryId);
		await updateEnquiryReport(trx, enquiryId, { raw_deleted_at: now, updated_at: now });
		await recordAudit(trx, {
			actor,
			action: 'enquiry.raw-deleted',
			target: { type: 'enquiry', id: enquiryId }
		});
	});
	return { ok: true };
}
