/**
 * Markdown written by members (event descriptions now; blog posts and case studies later), turned
 * into safe HTML for Svelte's `{@html}` and into plain text for emails, iCalendar, meta
 * descriptions and JSON-LD.
 *
 * Safety rests on two layers. The marked renderer below never passes raw HTML through, never
 * emits an image and only emits links it has checked. sanitize-html then applies the same
 * allow-list to whatever marked produced, so a bug or upgrade in one layer does not open a hole
 * on its own.
 *
 * Decisions, so that pages, emails and feeds agree:
 * - Raw HTML in the source (`<b>`, `<script>`, `<img onerror>`) is shown as literal text, never
 *   rendered, so a member can see that it is not supported. Plain text keeps it literally too.
 * - A single line break in the source is kept as a line break (GFM `breaks`), because members type
 *   into a plain text box and expect an address or a list of times to stay on separate lines.
 * - Headings are moved down by `headingOffset` (default 1, so `# Title` becomes h2) and then kept
 *   between h2 and h4: h1 belongs to the page title, and h5 and h6 look like body text. With the
 *   default, h1→h2, h2→h3, and h3 and deeper→h4.
 * - A link must be an absolute http, https or mailto URL. Anything else (relative paths,
 *   `javascript:`, `data:`, encoded or whitespace tricks) becomes its text. Links get
 *   rel="nofollow ugc noopener" and never a target.
 * - Images are never loaded (slow connections, tracking pixels). An image becomes a link to its
 *   URL, labelled with its alt text, or with the URL when there is no alt text. Inside a link, it
 *   becomes just its alt text.
 * - Task list boxes become ☐ and ☑. Ordered lists keep their start number.
 * - No class, style or id attributes; table cells lose their alignment.
 */
import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Options for {@link renderMarkdown}. */
export interface RenderMarkdownOptions {
	/** Levels to move every heading down by; `# Title` becomes h(1 + offset). Default 1. */
	headingOffset?: number;
	/**
	 * The subset for comments: emphasis, links, lists, code and quotes only. Headings become
	 * paragraphs, rules and tables are left out (their text stays), and images become their
	 * alt text (never a link to the picture).
	 */
	restricted?: boolean;
}

const LINK_REL = 'nofollow ugc noopener';
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const HIGHEST_HEADING = 2;
const LOWEST_HEADING = 4;
const UNCHECKED_BOX = '☐ ';
const CHECKED_BOX = '☑ ';
const ELLIPSIS = '…';

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Escapes text for use in HTML content or a double-quoted attribute. */
function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Named character references decoded in plain text and link URLs. marked keeps named references
 * as they are (browsers decode them in HTML), so plain text needs them decoded here. Only the
 * common ones are listed; any other stays as written.
 */
const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
	copy: '©',
	reg: '®',
	trade: '™',
	hellip: '…',
	mdash: '—',
	ndash: '–',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”',
	laquo: '«',
	raquo: '»',
	bull: '•',
	middot: '·',
	deg: '°',
	times: '×',
	euro: '€',
	pound: '£'
};

const CHARACTER_REFERENCE = /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{1,31}));/g;

/** Decodes numeric and common named character references, in one pass. */
function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(
		CHARACTER_REFERENCE,
		(reference: string, dec?: string, hex?: string, name?: string) => {
			if (name !== undefined) return NAMED_ENTITIES[name] ?? reference;
			const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
			if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
			return String.fromCodePoint(code);
		}
	);
}

/**
 * The link destination as a URL, or null unless it is absolute http, https or mailto. `literal`
 * is for GFM autolinks, whose destinations have no character references. The WHATWG URL parser
 * strips control characters and whitespace the way browsers do, so `java\tscript:` and
 * `jav&#x61;script:` are seen for what they are.
 */
function safeUrl(href: string, literal = false): URL | null {
	const decoded = literal ? href : decodeEntities(href);
	let url: URL;
	try {
		url = new URL(decoded);
	} catch {
		return null;
	}
	return ALLOWED_PROTOCOLS.has(url.protocol) ? url : null;
}

/** Keeps a heading level within h2–h4. */
function clampHeading(depth: number): number {
	return Math.min(Math.max(depth, HIGHEST_HEADING), LOWEST_HEADING);
}

/** How many links the renderer is currently inside; an image there becomes its alt text. */
let linkDepth = 0;
/** Whether the current render is the comment subset (see `RenderMarkdownOptions.restricted`). */
let restrictedMode = false;

/** Configured once; separate from the global `marked` so other code keeps the defaults. */
const markdown = new Marked({
	gfm: true,
	breaks: true,
	renderer: {
		html({ text, block }) {
			const escaped = escapeHtml(block ? text.trim() : text);
			return block ? `<p>${escaped}</p>\n` : escaped;
		},
		heading({ tokens, depth }) {
			if (restrictedMode) return `<p>${this.parser.parseInline(tokens)}</p>\n`;
			const level = clampHeading(depth);
			return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
		},
		code({ text }) {
			return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
		},
		checkbox({ checked }) {
			return checked ? CHECKED_BOX : UNCHECKED_BOX;
		},
		tablecell({ tokens, header }) {
			const tag = header ? 'th' : 'td';
			return `<${tag}>${this.parser.parseInline(tokens)}</${tag}>\n`;
		},
		link({ href, text, tokens, autolink }) {
			let label: string;
			if (autolink) {
				label = escapeHtml(text);
			} else {
				linkDepth++;
				try {
					label = this.parser.parseInline(tokens);
				} finally {
					linkDepth--;
				}
			}
			const url = safeUrl(href, autolink);
			if (!url) return label;
			return `<a href="${escapeHtml(url.href)}" rel="${LINK_REL}">${label || escapeHtml(url.href)}</a>`;
		},
		image({ href, tokens }) {
			const alt = escapeHtml(inlineText(tokens, true));
			const url = linkDepth > 0 || restrictedMode ? null : safeUrl(href);
			if (!url) return alt;
			return `<a href="${escapeHtml(url.href)}" rel="${LINK_REL}">${alt || escapeHtml(url.href)}</a>`;
		}
	}
});

/** The only tags and attributes that can reach a page, checked again after marked. */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'strong',
		'em',
		'del',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'a',
		'h2',
		'h3',
		'h4',
		'hr',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td'
	],
	allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
	allowedClasses: {},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: {},
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	parseStyleAttributes: false,
	enforceHtmlBoundary: false,
	transformTags: {
		a: (tagName, attribs) => {
			const url = safeUrl(attribs.href ?? '', true);
			const checked: sanitizeHtml.Attributes = url
				? { href: url.href, rel: LINK_REL }
				: { rel: LINK_REL };
			return { tagName, attribs: checked };
		}
	}
};

/** The comment subset: no headings, rules or tables (text inside them stays). */
const RESTRICTED_SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
	...SANITIZE_OPTIONS,
	allowedTags: [
		'p',
		'br',
		'strong',
		'em',
		'del',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'a'
	]
};

/**
 * Markdown as HTML that is safe for `{@html}`: GFM with only paragraphs, line breaks, emphasis,
 * strikethrough, code, quotes, lists, headings (h2–h4), rules, tables and checked links.
 */
export function renderMarkdown(source: string, options: RenderMarkdownOptions = {}): string {
	const requested = options.headingOffset ?? 1;
	const offset = Number.isFinite(requested) ? Math.trunc(requested) : 1;
	const tokens = markdown.lexer(source);
	if (offset !== 0) {
		void markdown.walkTokens(tokens, (token) => {
			if (token.type === 'heading') token.depth += offset;
		});
	}
	linkDepth = 0;
	restrictedMode = options.restricted === true;
	try {
		const html = markdown.parser(tokens);
		return sanitizeHtml(
			html,
			restrictedMode ? RESTRICTED_SANITIZE_OPTIONS : SANITIZE_OPTIONS
		).trim();
	} finally {
		restrictedMode = false;
	}
}

/** Plain text of inline tokens: no markup, links as 'text (url)'. */
function inlineText(tokens: readonly Token[] | undefined, insideLink = false): string {
	let out = '';
	for (const token of tokens ?? []) out += inlineTokenText(token, insideLink);
	return out;
}

function inlineTokenText(token: Token, insideLink: boolean): string {
	switch (token.type) {
		case 'text':
			return token.tokens ? inlineText(token.tokens, insideLink) : decodeEntities(token.text);
		case 'escape':
		case 'codespan':
		case 'html':
			return token.text;
		case 'br':
			return '\n';
		case 'checkbox':
			return token.checked ? CHECKED_BOX : UNCHECKED_BOX;
		case 'link':
			return linkText(token as Tokens.Link, insideLink);
		case 'image':
			return imageText(token as Tokens.Image, insideLink);
		default:
			return genericText(token as Tokens.Generic, insideLink) ?? '';
	}
}

function linkText(link: Tokens.Link, insideLink: boolean): string {
	if (link.autolink) return link.text;
	const label = inlineText(link.tokens, true);
	const url = insideLink ? null : safeUrl(link.href);
	if (!url) return label;
	const shown = url.protocol === 'mailto:' ? url.href.slice('mailto:'.length) : url.href;
	const written = decodeEntities(link.href).trim();
	if (!label.trim()) return shown;
	if (label === shown || label === url.href || label === written) return label;
	return `${label} (${shown})`;
}

function imageText(image: Tokens.Image, insideLink: boolean): string {
	const alt = inlineText(image.tokens, true);
	const url = insideLink ? null : safeUrl(image.href);
	if (!url) return alt;
	return alt.trim() ? `${alt} (${url.href})` : url.href;
}

/** Plain text of a token from an extension: its child tokens, or its text. */
function genericText(token: Tokens.Generic, insideLink = false): string | null {
	if (Array.isArray(token.tokens)) return inlineText(token.tokens, insideLink);
	return typeof token.text === 'string' ? token.text : null;
}

/** Plain text of block tokens, one string per block. */
function blockTexts(tokens: readonly Token[]): string[] {
	const blocks: string[] = [];
	let box = '';
	for (const token of tokens) {
		if (token.type === 'checkbox') {
			box = token.checked ? CHECKED_BOX : UNCHECKED_BOX;
			continue;
		}
		const text = blockText(token);
		if (text === null) continue;
		blocks.push(box + text);
		box = '';
	}
	return blocks;
}

function blockText(token: Token): string | null {
	switch (token.type) {
		case 'space':
		case 'def':
		case 'hr':
			return null;
		case 'paragraph':
		case 'heading':
			return inlineText(token.tokens);
		case 'text':
			return token.tokens ? inlineText(token.tokens) : decodeEntities(token.text);
		case 'code':
			return token.text;
		case 'html':
			return token.text.trim();
		case 'blockquote':
			return blockTexts(token.tokens ?? []).join('\n\n');
		case 'list':
			return listText(token as Tokens.List);
		case 'table':
			return tableText(token as Tokens.Table);
		default:
			return genericText(token as Tokens.Generic);
	}
}

function listText(list: Tokens.List): string {
	const first = typeof list.start === 'number' ? list.start : 1;
	return list.items
		.map((item, index) => {
			const marker = list.ordered ? `${first + index}. ` : '- ';
			const indent = ' '.repeat(marker.length);
			const body = blockTexts(item.tokens).join('\n').replace(/\n/g, `\n${indent}`);
			return marker + body;
		})
		.join('\n');
}

function tableText(table: Tokens.Table): string {
	return [table.header, ...table.rows]
		.map((cells) => cells.map((cell) => inlineText(cell.tokens).trim()).join(' | '))
		.join('\n');
}

/**
 * Cuts text to at most `maxLength` characters (code points), ending in '…'. The cut falls at the
 * last space that keeps at least half the length; a text with no such space is cut mid-word.
 */
function truncate(text: string, maxLength: number): string {
	const max = Math.floor(maxLength);
	if (!(max > 0)) return '';
	if (text.length <= max) return text;
	const chars = Array.from(text);
	if (chars.length <= max) return text;
	const keep = max - 1;
	let cut = keep;
	if (!/\s/.test(chars[keep] ?? '')) {
		for (let i = keep - 1; i >= Math.ceil(keep / 2); i--) {
			if (/\s/.test(chars[i] ?? '')) {
				cut = i;
				break;
			}
		}
	}
	const head = chars
		.slice(0, cut)
		.join('')
		.replace(/[\s,;:.\-–—]+$/u, '');
	return head + ELLIPSIS;
}

/**
 * Markdown as plain text for emails, iCalendar, meta descriptions and JSON-LD: no markup, links as
 * 'text (url)', list items on their own lines after '- ' (or their number), at most one blank line
 * in a row, trimmed. With `maxLength`, cut at a word boundary and ended with '…'. The result is
 * text, not HTML: escape it wherever it goes.
 */
export function markdownToPlainText(source: string, maxLength?: number): string {
	const text = blockTexts(markdown.lexer(source))
		.join('\n\n')
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
	return maxLength === undefined ? text : truncate(text, maxLength);
}

/**
 * Prose in which Markdown finds nothing to do, checked line by line: each line is empty or
 * starts with a letter (so no list, heading, quote, fence, indented code or rule), and holds
 * only letters, digits, spaces and punctuation that starts no Markdown (no `*_[]<>&\\~|#=`).
 * Deliberately narrow: anything else takes the full path.
 */
const PLAIN_PROSE =
	/^(?:\p{L}[\p{L}\p{N} .,;:?!'"()’‘“”–—…/-]*)?(?:\n(?:\p{L}[\p{L}\p{N} .,;:?!'"()’‘“”–—…/-]*)?)*$/u;
/** GFM links bare URLs and addresses; with those, the text is no longer plain. */
const BARE_LINK = /:\/\/|www\./i;

/**
 * Markdown as plain text for the search index: exactly what {@link markdownToPlainText} gives,
 * but prose with no Markdown in it skips marked's lexer, which is most of the cost of writing a
 * search document in the transaction of each change. Such prose is its paragraphs, one line
 * break kept as it is (GFM `breaks`), lines trimmed at the end, and at most one blank line.
 */
export function markdownToSearchText(source: string): string {
	if (!PLAIN_PROSE.test(source) || BARE_LINK.test(source)) return markdownToPlainText(source);
	return source
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Text on one line: every run of whitespace (line breaks too) becomes one space. */
function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/** Whether text already ends a sentence or a clause, so the next part can simply follow. */
const ENDS_CLAUSE = /[.!?…:;,]["'’”)]*$/u;

/**
 * Joins parts of an excerpt: after a part that ends a sentence or clause a space is enough;
 * otherwise (a heading, a line without a full stop) `glue` keeps the two from running together.
 */
function joinParts(parts: string[], glue: string): string {
	let out = '';
	for (const part of parts) {
		if (!part) continue;
		if (!out) out = part;
		else out += (ENDS_CLAUSE.test(out) ? ' ' : glue) + part;
	}
	return out;
}

/** One line of plain text per block, for excerpts: a list's items are kept apart by "; ". */
function excerptBlocks(tokens: readonly Token[]): string[] {
	const parts: string[] = [];
	let box = '';
	for (const token of tokens) {
		if (token.type === 'checkbox') {
			box = token.checked ? CHECKED_BOX : UNCHECKED_BOX;
			continue;
		}
		let text: string | null;
		if (token.type === 'list') {
			const items = (token as Tokens.List).items.map((item) =>
				oneLine(joinParts(excerptBlocks(item.tokens), ': '))
			);
			text = joinParts(items, '; ');
		} else if (token.type === 'blockquote') {
			text = joinParts(excerptBlocks(token.tokens ?? []), '. ');
		} else if (token.type === 'table') {
			text = blockText(token)?.split('\n').join('; ') ?? null;
		} else {
			text = blockText(token);
		}
		if (text === null) continue;
		parts.push(oneLine(box + text));
		box = '';
	}
	return parts;
}

/**
 * Markdown as one line of plain text for cards and meta descriptions, cut at a word boundary.
 * It keeps the shape readable without markup: a list's items are separated by "; " (so
 * "We will:" then a list reads "We will: share stories; plan"), and a heading or a line with no
 * closing full stop is followed by ". " rather than running into the next sentence. The result
 * is text, not HTML: escape it wherever it goes.
 */
export function markdownExcerpt(source: string, maxLength = 200): string {
	const line = oneLine(joinParts(excerptBlocks(markdown.lexer(source)), '. '));
	return truncate(line, maxLength);
}
