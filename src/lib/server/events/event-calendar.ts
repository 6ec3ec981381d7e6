/**
 * Calendar output for events: iCalendar (RFC 5545) files and feeds, 'Add to Google Calendar' and
 * 'Add to Outlook' links, and schema.org JSON-LD. Everything here is pure: the same event always
 * gives the same output, so feeds can be cached and compared byte for byte.
 *
 * The iCalendar serializer is written by hand rather than with the `ics` package, because `ics`
 * folds lines by characters instead of UTF-8 octets, continues folded lines with a tab, cannot
 * write REFRESH-INTERVAL or X-WR-CALDESC, and writes a broken ORGANIZER line when there is no
 * email address.
 */

/** An event as the calendar formats need it. Timestamps are ISO-8601 UTC strings. */
export interface CalendarEvent {
	/** Stable id; UIDs derive from it. */
	id: string;
	title: string;
	/** Plain text description, already stripped of Markdown. */
	summary: string;
	startsAt: string;
	endsAt: string;
	createdAt: string;
	updatedAt: string;
	status: 'scheduled' | 'cancelled' | 'completed';
	mode: 'in_person' | 'online' | 'hybrid';
	/** Absolute URL of the public event page. */
	url: string;
	/** Null for online-only events. */
	venue: { name: string; address: string } | null;
	organizer: { name: string; kind: 'person' | 'organisation'; url?: string };
	/** For example 'Knowledge Café'. */
	formatName: string;
}

/** The site the calendar output belongs to. */
export interface CalendarSite {
	siteName: string;
	/** For example https://colab.example.org */
	origin: string;
}

/** Describes a subscribable feed. */
export interface CalendarFeed {
	name: string;
	/** Absolute URL the feed is served from. */
	url: string;
	description?: string;
}

/** Longest description, in characters, put into Google and Outlook links (before the URL). */
const LINK_DETAILS_MAX = 1000;
/** Longest description, in characters, put into JSON-LD. */
const JSON_LD_DESCRIPTION_MAX = 500;
/** Longest iCalendar content line, in octets, not counting the CRLF. */
const ICS_LINE_MAX_OCTETS = 75;
const INT32_MAX = 2_147_483_647;

// ---------------------------------------------------------------------------------------------
// iCalendar
// ---------------------------------------------------------------------------------------------

/** A complete VCALENDAR holding one event, for 'Add to calendar' downloads and email attachments. */
export function eventIcs(event: CalendarEvent, site: CalendarSite): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${productId(site)}`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		...veventLines(event, site),
		'END:VCALENDAR'
	];
	return serialize(lines);
}

/** A subscribable iCalendar feed of events, refreshed hourly by clients that honour it. */
export function feedIcs(events: CalendarEvent[], site: CalendarSite, feed: CalendarFeed): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${productId(site)}`,
		'CALSCALE:GREGORIAN',
		`NAME:${escapeText(feed.name)}`,
		`X-WR-CALNAME:${escapeText(feed.name)}`
	];
	if (feed.description) {
		lines.push(`DESCRIPTION:${escapeText(feed.description)}`);
		lines.push(`X-WR-CALDESC:${escapeText(feed.description)}`);
	}
	lines.push(
		`SOURCE;VALUE=URI:${cleanUri(feed.url)}`,
		'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
		'X-PUBLISHED-TTL:PT1H'
	);
	for (const event of events) lines.push(...veventLines(event, site));
	lines.push('END:VCALENDAR');
	return serialize(lines);
}

/** The unfolded content lines of one VEVENT. */
function veventLines(event: CalendarEvent, site: CalendarSite): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${escapeText(eventUid(event, site))}`,
		`DTSTAMP:${icsDateTime(event.updatedAt)}`,
		`DTSTART:${icsDateTime(event.startsAt)}`,
		`DTEND:${icsDateTime(event.endsAt)}`,
		`SUMMARY:${escapeText(event.title)}`,
		`DESCRIPTION:${escapeText(descriptionWithUrl(event.summary, event.url))}`,
		`URL:${cleanUri(event.url)}`
	];
	const location = venueText(event);
	if (location) lines.push(`LOCATION:${escapeText(location)}`);
	lines.push(
		`STATUS:${event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
		`SEQUENCE:${sequenceOf(event)}`,
		`CREATED:${icsDateTime(event.createdAt)}`,
		`LAST-MODIFIED:${icsDateTime(event.updatedAt)}`
	);
	if (event.formatName.trim()) lines.push(`CATEGORIES:${escapeText(event.formatName.trim())}`);
	// No ORGANIZER: its value must be a calendar address (in practice mailto:), and we have none
	// to publish. The organiser is shown on the event page instead.
	lines.push('TRANSP:OPAQUE', 'END:VEVENT');
	return lines;
}

/** The stable UID of an event: `event-<id>@<host name of the site>`. */
function eventUid(event: CalendarEvent, site: CalendarSite): string {
	return `event-${event.id}@${new URL(site.origin).hostname}`;
}

function productId(site: CalendarSite): string {
	return escapeText(`-//CoLab//${site.siteName}//EN`);
}

/**
 * A SEQUENCE number that grows whenever the event is edited: whole seconds between creation and
 * the last update, kept within the non-negative int32 range clients expect.
 */
function sequenceOf(event: CalendarEvent): number {
	const seconds = Math.floor((toDate(event.updatedAt) - toDate(event.createdAt)) / 1000);
	return Math.min(Math.max(seconds, 0), INT32_MAX);
}

/** An ISO timestamp as an iCalendar UTC DATE-TIME, like 20261201T180000Z. */
function icsDateTime(iso: string): string {
	return new Date(toDate(iso))
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}

/** Milliseconds since the epoch, or a RangeError for a timestamp that does not parse. */
function toDate(iso: string): number {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) throw new RangeError(`Not a valid timestamp: ${iso}`);
	return ms;
}

/**
 * Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon, comma and line breaks.
 * Other control characters are not allowed in TEXT, so they are dropped (tabs are kept).
 */
export function escapeText(value: string): string {
	return withoutControlCharacters(value.replace(/\r\n?/g, '\n'), ['\n', '\t'])
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\n/g, '\\n');
}

/** A URI value with any control characters (which could break the content line) removed. */
function cleanUri(value: string): string {
	return withoutControlCharacters(value, []);
}

function withoutControlCharacters(value: string, keep: string[]): string {
	let out = '';
	for (const ch of value) {
		const code = ch.codePointAt(0) ?? 0;
		const isControl = code < 0x20 || code === 0x7f;
		if (!isControl || keep.includes(ch)) out += ch;
	}
	return out;
}

/**
 * Folds one content line so that no physical line exceeds 75 octets of UTF-8. Continuation lines
 * start with a single space, which counts towards their 75 octets. Multi-byte characters are never
 * split, and where it costs little the fold avoids whitespace on either side and escape
 * sequences, which careless readers sometimes trim or misread.
 */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let chars = Array.from(line);
	let limit = ICS_LINE_MAX_OCTETS;
	while (chars.length > 0) {
		let count = 0;
		let octets = 0;
		while (count < chars.length && octets + utf8Length(chars[count] ?? '') <= limit) {
			octets += utf8Length(chars[count] ?? '');
			count++;
		}
		if (count < chars.length) count = betterBreak(chars, count);
		parts.push(chars.slice(0, count).join(''));
		chars = chars.slice(count);
		limit = ICS_LINE_MAX_OCTETS - 1;
	}
	return parts.join('\r\n ');
}

/**
 * Moves a break back by up to 8 characters so that it neither sits next to whitespace nor follows
 * a backslash (which would split an escape like `\,` across lines).
 */
function betterBreak(chars: string[], count: number): number {
	const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t';
	for (let at = count; at > count - 8 && at > 1; at--) {
		const before = chars[at - 1];
		if (!isSpace(before) && before !== '\\' && !isSpace(chars[at])) return at;
	}
	return count;
}

function utf8Length(ch: string): number {
	const code = ch.codePointAt(0) ?? 0;
	if (code < 0x80) return 1;
	if (code < 0x800) return 2;
	if (code < 0x10000) return 3;
	return 4;
}

function serialize(lines: string[]): string {
	return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}

// ---------------------------------------------------------------------------------------------
// Links to add the event to web calendars
// ---------------------------------------------------------------------------------------------

/** A link that opens Google Calendar with the event filled in, ready to save. */
export function googleCalendarUrl(event: CalendarEvent): string {
	const params: Array<[string, string]> = [
		['action', 'TEMPLATE'],
		['text', event.title],
		['dates', `${icsDateTime(event.startsAt)}/${icsDateTime(event.endsAt)}`],
		['details', linkDetails(event)]
	];
	const location = venueText(event);
	if (location) params.push(['location', location]);
	return `https://calendar.google.com/calendar/render?${query(params)}`;
}

/** A link that opens Outlook on the web with the event filled in, ready to save. */
export function outlookCalendarUrl(event: CalendarEvent): string {
	const params: Array<[string, string]> = [
		['path', '/calendar/action/compose'],
		['rru', 'addevent'],
		['subject', event.title],
		['startdt', isoSeconds(event.startsAt)],
		['enddt', isoSeconds(event.endsAt)],
		['body', linkDetails(event)]
	];
	const location = venueText(event);
	if (location) params.push(['location', location]);
	return `https://outlook.live.com/calendar/0/action/compose?${query(params)}`;
}

/** The description for a calendar link: the summary, shortened if long, then the event URL. */
function linkDetails(event: CalendarEvent): string {
	return descriptionWithUrl(truncate(event.summary, LINK_DETAILS_MAX), event.url);
}

/** An ISO timestamp in UTC without milliseconds, like 2026-12-01T18:00:00Z. */
function isoSeconds(iso: string): string {
	return new Date(toDate(iso)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Encodes query parameters with %20 for spaces, which every calendar reads the same way. */
function query(params: Array<[string, string]>): string {
	return params
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
		.join('&');
}

// ---------------------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------------------

/** A schema.org Event describing the event, for search engines. */
export function eventJsonLd(event: CalendarEvent, site: CalendarSite): Record<string, unknown> {
	const place = event.venue
		? {
				'@type': 'Place',
				name: event.venue.name,
				address: { '@type': 'PostalAddress', streetAddress: event.venue.address }
			}
		: null;
	// The public event page, never the meeting link: that is only for people who have booked.
	const virtual = { '@type': 'VirtualLocation', url: event.url };
	let location: unknown;
	if (event.mode === 'online') location = virtual;
	else if (event.mode === 'hybrid') location = place ? [place, virtual] : virtual;
	else location = place ?? undefined;

	const organizer: Record<string, unknown> = {
		'@type': event.organizer.kind === 'person' ? 'Person' : 'Organization',
		name: event.organizer.name
	};
	if (event.organizer.url) organizer.url = new URL(event.organizer.url, site.origin).href;

	const result: Record<string, unknown> = {
		'@context': 'https://schema.org',
		'@type': 'Event',
		name: event.title,
		description: truncate(event.summary, JSON_LD_DESCRIPTION_MAX),
		startDate: new Date(toDate(event.startsAt)).toISOString(),
		endDate: new Date(toDate(event.endsAt)).toISOString(),
		eventStatus:
			event.status === 'cancelled'
				? 'https://schema.org/EventCancelled'
				: 'https://schema.org/EventScheduled',
		eventAttendanceMode: attendanceModes[event.mode],
		organizer,
		url: event.url
	};
	if (location !== undefined) result.location = location;
	return result;
}

const attendanceModes: Record<CalendarEvent['mode'], string> = {
	in_person: 'https://schema.org/OfflineEventAttendanceMode',
	online: 'https://schema.org/OnlineEventAttendanceMode',
	hybrid: 'https://schema.org/MixedEventAttendanceMode'
};

/**
 * JSON that is safe inside a `<script type="application/ld+json">` element: `<`, `>`, `&`, U+2028
 * and U+2029 are written as \u escapes, so no text can close the element or confuse a parser.
 */
export function jsonLdScriptContent(value: unknown): string {
	const json = JSON.stringify(value) ?? 'null';
	return json
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** A safe ASCII file name for an event's .ics file, like 'knowledge-cafe-december.ics'. */
export function icsFilename(title: string): string {
	const ascii = title
		.replace(/[ßæÆøØœŒłŁđĐþÞ]/g, (ch) => transliterations[ch] ?? '')
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
	let slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
	if (slug.length > 60) {
		// Cut at the last word boundary within 60 characters, or hard at 60 if there is none.
		const cut = slug.slice(0, 61);
		const boundary = cut.lastIndexOf('-');
		slug = boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, 60);
	}
	return `${slug || 'event'}.ics`;
}

const transliterations: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	Æ: 'ae',
	ø: 'o',
	Ø: 'o',
	œ: 'oe',
	Œ: 'oe',
	ł: 'l',
	Ł: 'l',
	đ: 'd',
	Đ: 'd',
	þ: 'th',
	Þ: 'th'
};

/** '<venue name>, <address>', or null when the event has no venue. */
function venueText(event: CalendarEvent): string | null {
	if (!event.venue) return null;
	const parts = [event.venue.name.trim(), event.venue.address.trim()].filter(Boolean);
	return parts.length > 0 ? parts.join(', ') : null;
}

/** The description followed by a blank line and the event URL (just the URL if it is empty). */
function descriptionWithUrl(description: string, url: string): string {
	const text = description.trim();
	return text ? `${text}\n\n${url}` : url;
}

/**
 * Shortens text to at most `max` characters (code points), cutting at a word boundary where one
 * is close and ending with an ellipsis.
 */
function truncate(text: string, max: number): string {
	const trimmed = text.trim();
	const chars = Array.from(trimmed);
	if (chars.length <= max) return trimmed;
	const cut = chars.slice(0, max - 1).join('');
	const lastSpace = cut.search(/\s\S*$/);
	const base = lastSpace > cut.length * 0.8 ? cut.slice(0, lastSpace) : cut;
	return `${base.trimEnd()}…`;
}
