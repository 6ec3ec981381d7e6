import { z } from 'zod';

/** Lengths, said in the messages; text is never cut. */
export const CASE_STUDY_LIMITS = {
	title: 200,
	summary: 600,
	whatWasDone: 10_000,
	whoWasInvolved: 5_000,
	barriersHandled: 5_000,
	doDifferently: 5_000,
	links: 4_000,
	linkCount: 20,
	role: 300,
	message: 2_000
} as const;

const n = (value: number) => value.toLocaleString('en-GB');

function text(label: string, max: number) {
	return z
		.string()
		.trim()
		.max(max, `${label} must be ${n(max)} characters or fewer`)
		.default('');
}

const list = (what: string, max = 40) =>
	z.array(z.string().max(120)).max(max, `Choose ${max} ${what} or fewer`).default([]);

/** The case study form. Only the title is needed to save a draft; submitting needs more. */
export const caseStudySchema = z.object({
	title: z
		.string({ message: 'Enter a title' })
		.trim()
		.min(1, 'Enter a title')
		.max(CASE_STUDY_LIMITS.title, `The title must be ${CASE_STUDY_LIMITS.title} characters or fewer`),
	summary: text('The short summary', CASE_STUDY_LIMITS.summary),
	serviceAreas: list('service areas', 12),
	stage: z.string().trim().max(40).default(''),
	workStatus: z.string().trim().max(40).default(''),
	whatWasDone: text('What was done', CASE_STUDY_LIMITS.whatWasDone),
	whoWasInvolved: text('Who was involved and how', CASE_STUDY_LIMITS.whoWasInvolved),
	organisations: list('organisations', 20),
	benefits: list('benefits'),
	barriers: list('barriers'),
	barriersHandled: text('How the barriers were handled', CASE_STUDY_LIMITS.barriersHandled),
	doDifferently: text('What you would do differently', CASE_STUDY_LIMITS.doDifferently),
	dimensions: list('elements', 20),
	links: text('The links', CASE_STUDY_LIMITS.links),
	roundId: z.string().trim().max(80).default(''),
	/** The honeypot: people never see it, so it is always empty from a person. */
	website: z.string().max(0, 'Leave the hidden "website" box empty').default('')
});
export type CaseStudyInput = z.output<typeof caseStudySchema>;
export const CASE_STUDY_LIST_FIELDS = [
	'serviceAreas',
	'organisations',
	'benefits',
	'barriers',
	'dimensions'
] as const;

/** A curator sending a case study back says what to change. */
export const sendBackSchema = z.object({
	message: z
		.string()
		.trim()
		.min(1, 'Say what to change, so the author can put it right')
		.max(
			CASE_STUDY_LIMITS.message,
			`The message must be ${n(CASE_STUDY_LIMITS.message)} characters or fewer`
		)
});

/** Naming someone as involved: who (email or profile address) and how. */
export const involvementSchema = z.object({
	person: z
		.string()
		.trim()
		.min(1, 'Enter their email address or the address of their profile page')
		.max(320, 'The address must be 320 characters or fewer'),
	role: z
		.string()
		.trim()
		.min(1, 'Say how they were involved')
		.max(CASE_STUDY_LIMITS.role, `How they were involved must be ${CASE_STUDY_LIMITS.role} characters or fewer`)
});

/** A curator adds a word to one of the library's lists. */
export const wordSchema = z.object({
	kind: z.enum(['service-area', 'benefit', 'barrier'], { message: 'Choose which list' }),
	label: z
		.string()
		.trim()
		.min(1, 'Enter the word or phrase')
		.max(80, 'The word or phrase must be 80 characters or fewer')
});

/** One link as written in the links box: an address, with words before it if wanted. */
export interface CaseStudyLink {
	label: string;
	url: string;
}

/**
 * Reads the links box: one link a line, the address last ("Our launch event /events/abc").
 * Addresses on this site start with "/"; others with http:// or https://. Returns the links,
 * or the first line that is not one.
 */
export function parseLinks(
	value: string
): { ok: true; links: CaseStudyLink[] } | { ok: false; message: string } {
	const lines = value
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	if (lines.length > CASE_STUDY_LIMITS.linkCount)
		return { ok: false, message: `Add ${CASE_STUDY_LIMITS.linkCount} links or fewer` };
	const links: CaseStudyLink[] = [];
	for (const line of lines) {
		const at = line.lastIndexOf(' ');
		const url = at === -1 ? line : line.slice(at + 1);
		const label = at === -1 ? '' : line.slice(0, at).trim().replace(/[–—:-]+$/, '').trim();
		const local = /^\/[^/\s]/.test(url) || url === '/';
		let external = false;
		try {
			external = /^https?:$/.test(new URL(url).protocol);
		} catch {
			external = false;
		}
		if (!local && !external)
			return {
				ok: false,
				message: `“${line.slice(0, 80)}” does not end with a web address. Put one link on each line, ending with its address (https://… or /events/…).`
			};
		links.push({ label, url });
	}
	return { ok: true, links };
}

/** The links box again, from stored links. */
export function linksText(links: CaseStudyLink[]): string {
	return links.map((l) => (l.label ? `${l.label} ${l.url}` : l.url)).join('\n');
}

/** What a link points to, for its heading on the page. */
export function linkKind(url: string): 'event' | 'post' | 'video' | 'other' {
	if (/^\/blog\/[^/]+\/video/.test(url) || /youtube\.com|youtu\.be|vimeo\.com/.test(url))
		return 'video';
	if (url.startsWith('/events/')) return 'event';
	if (url.startsWith('/blog/')) return 'post';
	return 'other';
}
