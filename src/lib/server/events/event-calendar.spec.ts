import { describe, expect, it } from 'vitest';
import {
	escapeText,
	eventIcs,
	eventJsonLd,
	feedIcs,
	foldLine,
	googleCalendarUrl,
	icsFilename,
	jsonLdScriptContent,
	outlookCalendarUrl,
	type CalendarEvent,
	type CalendarSite
} from './event-calendar';

const site: CalendarSite = { siteName: 'CoLab Test', origin: 'https://colab.example.org' };
const feed = { name: 'CoLab events', url: 'https://colab.example.org/events/feed.ics' };

function makeEvent(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
	return {
		id: 'evt_123',
		title: 'Knowledge Café: December',
		summary: 'Come and talk, listen; share.\nBring a friend.',
		startsAt: '2026-12-01T18:00:00.000Z',
		endsAt: '2026-12-01T20:00:00.000Z',
		createdAt: '2026-11-01T09:00:00.000Z',
		updatedAt: '2026-11-02T09:00:00.000Z',
		status: 'scheduled',
		mode: 'in_person',
		url: 'https://colab.example.org/events/evt_123',
		venue: { name: 'Town Hall', address: '1 High Street, Exampleton' },
		organizer: { name: 'Sam Example', kind: 'person' },
		formatName: 'Knowledge Café',
		...overrides
	};
}

// ---------------------------------------------------------------------------------------------
// A small iCalendar reader, just enough to check what we write
// ---------------------------------------------------------------------------------------------

interface Property {
	name: string;
	params: Record<string, string>;
	value: string;
}

interface Component {
	name: string;
	props: Property[];
	children: Component[];
}

/** Joins folded lines back together (RFC 5545 section 3.1). */
function unfold(ics: string): string {
	return ics.replace(/\r\n[ \t]/g, '');
}

/** Splits one content line into name, parameters and value, respecting quoted parameters. */
function parseLine(line: string): Property {
	let i = 0;
	let inQuotes = false;
	while (i < line.length) {
		const ch = line[i];
		if (ch === '"') inQuotes = !inQuotes;
		else if (ch === ':' && !inQuotes) break;
		i++;
	}
	const head = line.slice(0, i);
	const value = line.slice(i + 1);
	const [name = '', ...rawParams] = head.split(';');
	const params: Record<string, string> = {};
	for (const raw of rawParams) {
		const eq = raw.indexOf('=');
		params[raw.slice(0, eq).toUpperCase()] = raw.slice(eq + 1);
	}
	return { name: name.toUpperCase(), params, value };
}

/** Parses a whole iCalendar stream into its single top-level component, checking nesting. */
function parseIcs(ics: string): Component {
	const lines = unfold(ics).split('\r\n');
	expect(lines.pop()).toBe('');
	const stack: Component[] = [];
	let root: Component | null = null;
	for (const line of lines) {
		const prop = parseLine(line);
		if (prop.name === 'BEGIN') {
			const component: Component = { name: prop.value, props: [], children: [] };
			stack.at(-1)?.children.push(component);
			stack.push(component);
		} else if (prop.name === 'END') {
			const closed = stack.pop();
			expect(closed?.name).toBe(prop.value);
			if (stack.length === 0) {
				expect(root).toBeNull();
				root = closed ?? null;
			}
		} else {
			const current = stack.at(-1);
			expect(current, `property outside a component: ${line}`).toBeDefined();
			current?.props.push(prop);
		}
	}
	expect(stack).toHaveLength(0);
	expect(root).not.toBeNull();
	return root as unknown as Component;
}

function prop(component: Component, name: string): Property | undefined {
	return component.props.find((p) => p.name === name);
}

function value(component: Component, name: string): string | undefined {
	return prop(component, name)?.value;
}

function unescapeText(text: string): string {
	return text.replace(/\\([\\;,nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

/** Checks the physical layout: CRLF only, no line over 75 octets, no split characters. */
function expectWellFormed(ics: string): void {
	expect(ics.endsWith('\r\n')).toBe(true);
	expect(ics).not.toMatch(/\r(?!\n)/);
	expect(ics).not.toMatch(/(?<!\r)\n/);
	for (const line of ics.slice(0, -2).split('\r\n')) {
		expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
		expect(line).not.toMatch(
			/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
		);
	}
}

/** Checks a parsed VCALENDAR and every VEVENT in it has its required properties. */
function expectValidCalendar(calendar: Component): Component[] {
	expect(calendar.name).toBe('VCALENDAR');
	expect(value(calendar, 'VERSION')).toBe('2.0');
	expect(value(calendar, 'PRODID')).toBeTruthy();
	const events = calendar.children.filter((c) => c.name === 'VEVENT');
	for (const event of events) {
		for (const name of ['UID', 'DTSTAMP', 'DTSTART']) {
			expect(
				event.props.filter((p) => p.name === name),
				name
			).toHaveLength(1);
		}
		expect(value(event, 'DTSTART')).toMatch(/^\d{8}T\d{6}Z$/);
		expect(value(event, 'DTEND')).toMatch(/^\d{8}T\d{6}Z$/);
		expect(value(event, 'DTSTAMP')).toMatch(/^\d{8}T\d{6}Z$/);
	}
	return events;
}

function onlyEvent(ics: string): Component {
	expectWellFormed(ics);
	const events = expectValidCalendar(parseIcs(ics));
	expect(events).toHaveLength(1);
	return events[0] as Component;
}

// ---------------------------------------------------------------------------------------------

describe('escapeText', () => {
	it('escapes backslash, semicolon, comma and every kind of line break', () => {
		expect(escapeText('a, b; c\\d\ne\r\nf\rg')).toBe('a\\, b\\; c\\\\d\\ne\\nf\\ng');
	});

	it('drops control characters that TEXT does not allow but keeps tabs', () => {
		expect(escapeText('a\u0000b\u0007c\td\u007f')).toBe('abc\td');
	});
});

describe('foldLine', () => {
	const long =
		'DESCRIPTION:' +
		'Café crème, naïve façade 🎉👩‍👩‍👧 Ünïcödé — ça va? '.repeat(5) +
		'x'.repeat(20) +
		'🙂';

	it('keeps every physical line within 75 octets and restores exactly when unfolded', () => {
		expect(Array.from(long).length).toBeGreaterThanOrEqual(200);
		const folded = foldLine(long) + '\r\n';
		expectWellFormed(folded);
		expect(folded.split('\r\n').length).toBeGreaterThan(3);
		const physical = folded.split('\r\n').slice(0, -1);
		for (const continuation of physical.slice(1)) {
			expect(continuation.startsWith(' ')).toBe(true);
			// Folds avoid whitespace next to the break, which careless readers trim.
			expect(continuation.startsWith('  ')).toBe(false);
		}
		for (const line of physical) expect(line.endsWith(' ')).toBe(false);
		expect(unfold(folded)).toBe(long + '\r\n');
	});

	it('leaves short lines alone, including one of exactly 75 octets', () => {
		expect(foldLine('SUMMARY:Hello')).toBe('SUMMARY:Hello');
		const exact = 'X'.repeat(75);
		expect(foldLine(exact)).toBe(exact);
		expect(foldLine(exact + 'Y')).toBe(`${exact}\r\n Y`);
	});

	it('does not split an escape sequence when it can avoid it', () => {
		const line = 'DESCRIPTION:' + 'a\\,'.repeat(60);
		const folded = foldLine(line) + '\r\n';
		expectWellFormed(folded);
		for (const physical of folded.split('\r\n')) expect(physical.endsWith('\\')).toBe(false);
		expect(unfold(folded)).toBe(line + '\r\n');
	});

	it('still folds a long run of spaces, and unfolds it exactly', () => {
		const line = 'DESCRIPTION:' + ' '.repeat(200) + 'end';
		const folded = foldLine(line) + '\r\n';
		expectWellFormed(folded);
		expect(unfold(folded)).toBe(line + '\r\n');
	});

	it('moves a multi-byte character to the next line rather than split it', () => {
		const line = 'X'.repeat(73) + '🎉';
		expect(foldLine(line)).toBe(`${'X'.repeat(73)}\r\n 🎉`);
	});
});

describe('eventIcs', () => {
	it('writes one VEVENT with every property, escaped and in UTC', () => {
		const event = makeEvent({ summary: 'Tea, cake; and \\ backslashes.\nSecond line.' });
		const ics = eventIcs(event, site);
		const calendar = parseIcs(ics);
		expect(value(calendar, 'METHOD')).toBe('PUBLISH');
		expect(value(calendar, 'CALSCALE')).toBe('GREGORIAN');
		const vevent = onlyEvent(ics);
		expect(value(vevent, 'UID')).toBe('event-evt_123@colab.example.org');
		expect(value(vevent, 'DTSTART')).toBe('20261201T180000Z');
		expect(value(vevent, 'DTEND')).toBe('20261201T200000Z');
		expect(value(vevent, 'DTSTAMP')).toBe('20261102T090000Z');
		expect(value(vevent, 'LAST-MODIFIED')).toBe('20261102T090000Z');
		expect(value(vevent, 'CREATED')).toBe('20261101T090000Z');
		expect(value(vevent, 'SUMMARY')).toBe('Knowledge Café: December');
		expect(value(vevent, 'DESCRIPTION')).toBe(
			'Tea\\, cake\\; and \\\\ backslashes.\\nSecond line.\\n\\n' +
				'https://colab.example.org/events/evt_123'
		);
		expect(unescapeText(value(vevent, 'DESCRIPTION') ?? '')).toBe(
			`${event.summary}\n\n${event.url}`
		);
		expect(value(vevent, 'URL')).toBe(event.url);
		expect(value(vevent, 'LOCATION')).toBe('Town Hall\\, 1 High Street\\, Exampleton');
		expect(value(vevent, 'STATUS')).toBe('CONFIRMED');
		expect(value(vevent, 'CATEGORIES')).toBe('Knowledge Café');
		expect(value(vevent, 'SEQUENCE')).toBe(String(24 * 60 * 60));
		expect(prop(vevent, 'ORGANIZER')).toBeUndefined();
	});

	it('folds a long title with emoji and accents and unfolds it back exactly', () => {
		const title = ('Réunion café 🎉 naïve ' + 'ça 🙂 ').repeat(10).slice(0, 200);
		const vevent = onlyEvent(eventIcs(makeEvent({ title }), site));
		expect(unescapeText(value(vevent, 'SUMMARY') ?? '')).toBe(title);
	});

	it('gives the same UID and the same bytes every time', () => {
		const event = makeEvent();
		const first = eventIcs(event, site);
		expect(eventIcs(event, site)).toBe(first);
		const inFeed = parseIcs(feedIcs([event], site, feed)).children[0] as Component;
		expect(value(inFeed, 'UID')).toBe(value(onlyEvent(first), 'UID'));
	});

	it('marks cancelled events CANCELLED and completed events CONFIRMED', () => {
		expect(value(onlyEvent(eventIcs(makeEvent({ status: 'cancelled' }), site)), 'STATUS')).toBe(
			'CANCELLED'
		);
		expect(value(onlyEvent(eventIcs(makeEvent({ status: 'completed' }), site)), 'STATUS')).toBe(
			'CONFIRMED'
		);
	});

	it('leaves LOCATION out for online events', () => {
		const vevent = onlyEvent(eventIcs(makeEvent({ mode: 'online', venue: null }), site));
		expect(prop(vevent, 'LOCATION')).toBeUndefined();
		expect(value(vevent, 'URL')).toBe('https://colab.example.org/events/evt_123');
	});

	it('raises SEQUENCE when the event is edited and never goes below zero', () => {
		const sequence = (updatedAt: string) =>
			Number(value(onlyEvent(eventIcs(makeEvent({ updatedAt }), site)), 'SEQUENCE'));
		expect(sequence('2026-11-01T09:00:00.000Z')).toBe(0);
		expect(sequence('2026-11-01T09:00:05.000Z')).toBe(5);
		expect(sequence('2026-11-01T09:00:06.000Z')).toBeGreaterThan(5);
		expect(sequence('2026-10-01T09:00:00.000Z')).toBe(0);
		expect(sequence('2200-01-01T00:00:00.000Z')).toBe(2_147_483_647);
	});

	it('just uses the URL as the description when the summary is empty', () => {
		const vevent = onlyEvent(eventIcs(makeEvent({ summary: '  ' }), site));
		expect(value(vevent, 'DESCRIPTION')).toBe('https://colab.example.org/events/evt_123');
	});

	it('refuses a timestamp that does not parse', () => {
		expect(() => eventIcs(makeEvent({ startsAt: 'soon' }), site)).toThrow(RangeError);
	});
});

describe('feedIcs', () => {
	it('is a valid calendar with no events', () => {
		const ics = feedIcs([], site, feed);
		expectWellFormed(ics);
		const calendar = parseIcs(ics);
		expect(expectValidCalendar(calendar)).toHaveLength(0);
		expect(value(calendar, 'X-WR-CALNAME')).toBe('CoLab events');
		expect(value(calendar, 'NAME')).toBe('CoLab events');
		expect(prop(calendar, 'X-WR-CALDESC')).toBeUndefined();
		expect(prop(calendar, 'REFRESH-INTERVAL')).toEqual({
			name: 'REFRESH-INTERVAL',
			params: { VALUE: 'DURATION' },
			value: 'PT1H'
		});
		expect(value(calendar, 'X-PUBLISHED-TTL')).toBe('PT1H');
		expect(value(calendar, 'SOURCE')).toBe(feed.url);
		expect(prop(calendar, 'METHOD')).toBeUndefined();
	});

	it('holds every event with its own stable UID', () => {
		const events = [
			makeEvent(),
			makeEvent({ id: 'evt_456', mode: 'online', venue: null, status: 'cancelled' }),
			makeEvent({ id: 'evt_789', mode: 'hybrid', title: 'Hybrid, with; punctuation' })
		];
		const ics = feedIcs(events, site, { ...feed, description: 'Everything on, everywhere' });
		expectWellFormed(ics);
		const calendar = parseIcs(ics);
		expect(value(calendar, 'X-WR-CALDESC')).toBe('Everything on\\, everywhere');
		const vevents = expectValidCalendar(calendar);
		expect(vevents.map((e) => value(e, 'UID'))).toEqual([
			'event-evt_123@colab.example.org',
			'event-evt_456@colab.example.org',
			'event-evt_789@colab.example.org'
		]);
		expect(vevents.map((e) => value(e, 'STATUS'))).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED']);
		expect(vevents.map((e) => prop(e, 'LOCATION') !== undefined)).toEqual([true, false, true]);
		expect(unescapeText(value(vevents[2] as Component, 'SUMMARY') ?? '')).toBe(
			'Hybrid, with; punctuation'
		);
		expect(feedIcs(events, site, feed)).toBe(feedIcs(events, site, feed));
	});
});

describe('googleCalendarUrl', () => {
	it('fills in every field', () => {
		const event = makeEvent();
		const url = new URL(googleCalendarUrl(event));
		expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
		expect(url.searchParams.get('action')).toBe('TEMPLATE');
		expect(url.searchParams.get('text')).toBe('Knowledge Café: December');
		expect(url.searchParams.get('dates')).toBe('20261201T180000Z/20261201T200000Z');
		expect(url.searchParams.get('details')).toBe(`${event.summary}\n\n${event.url}`);
		expect(url.searchParams.get('location')).toBe('Town Hall, 1 High Street, Exampleton');
		expect(url.search).not.toContain('+');
	});

	it('shortens a long description but always keeps the event URL', () => {
		const event = makeEvent({ summary: 'word '.repeat(1000), mode: 'online', venue: null });
		const url = new URL(googleCalendarUrl(event));
		const details = url.searchParams.get('details') ?? '';
		expect(details.endsWith(`…\n\n${event.url}`)).toBe(true);
		expect(Array.from(details.split('\n\n')[0] ?? '').length).toBeLessThanOrEqual(1000);
		expect(url.searchParams.has('location')).toBe(false);
	});
});

describe('outlookCalendarUrl', () => {
	it('fills in every field', () => {
		const event = makeEvent({ title: 'Tea & talk + cake?' });
		const url = new URL(outlookCalendarUrl(event));
		expect(url.origin + url.pathname).toBe('https://outlook.live.com/calendar/0/action/compose');
		expect(url.searchParams.get('path')).toBe('/calendar/action/compose');
		expect(url.search).toContain('path=%2Fcalendar%2Faction%2Fcompose');
		expect(url.searchParams.get('rru')).toBe('addevent');
		expect(url.searchParams.get('subject')).toBe('Tea & talk + cake?');
		expect(url.searchParams.get('startdt')).toBe('2026-12-01T18:00:00Z');
		expect(url.searchParams.get('enddt')).toBe('2026-12-01T20:00:00Z');
		expect(url.searchParams.get('body')).toBe(`${event.summary}\n\n${event.url}`);
		expect(url.searchParams.get('location')).toBe('Town Hall, 1 High Street, Exampleton');
	});

	it('leaves location out for online events', () => {
		const url = new URL(outlookCalendarUrl(makeEvent({ mode: 'online', venue: null })));
		expect(url.searchParams.has('location')).toBe(false);
		expect(url.searchParams.get('body')).toContain('https://colab.example.org/events/evt_123');
	});
});

describe('eventJsonLd', () => {
	const place = {
		'@type': 'Place',
		name: 'Town Hall',
		address: { '@type': 'PostalAddress', streetAddress: '1 High Street, Exampleton' }
	};
	const virtual = { '@type': 'VirtualLocation', url: 'https://colab.example.org/events/evt_123' };

	it('describes an in-person event', () => {
		expect(eventJsonLd(makeEvent(), site)).toEqual({
			'@context': 'https://schema.org',
			'@type': 'Event',
			name: 'Knowledge Café: December',
			description: 'Come and talk, listen; share.\nBring a friend.',
			startDate: '2026-12-01T18:00:00.000Z',
			endDate: '2026-12-01T20:00:00.000Z',
			eventStatus: 'https://schema.org/EventScheduled',
			eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
			location: place,
			organizer: { '@type': 'Person', name: 'Sam Example' },
			url: 'https://colab.example.org/events/evt_123'
		});
	});

	it('describes an online event with the event page, never a meeting link', () => {
		const jsonLd = eventJsonLd(
			makeEvent({
				mode: 'online',
				venue: null,
				status: 'cancelled',
				organizer: { name: 'Exampleton Trust', kind: 'organisation', url: '/organisations/trust' }
			}),
			site
		);
		expect(jsonLd.eventAttendanceMode).toBe('https://schema.org/OnlineEventAttendanceMode');
		expect(jsonLd.eventStatus).toBe('https://schema.org/EventCancelled');
		expect(jsonLd.location).toEqual(virtual);
		expect(jsonLd.organizer).toEqual({
			'@type': 'Organization',
			name: 'Exampleton Trust',
			url: 'https://colab.example.org/organisations/trust'
		});
	});

	it('describes a hybrid event with both locations', () => {
		const jsonLd = eventJsonLd(makeEvent({ mode: 'hybrid', status: 'completed' }), site);
		expect(jsonLd.eventAttendanceMode).toBe('https://schema.org/MixedEventAttendanceMode');
		expect(jsonLd.eventStatus).toBe('https://schema.org/EventScheduled');
		expect(jsonLd.location).toEqual([place, virtual]);
	});

	it('trims a long description to about 500 characters', () => {
		const jsonLd = eventJsonLd(makeEvent({ summary: 'lorem ipsum '.repeat(200) }), site);
		const description = jsonLd.description as string;
		expect(description.length).toBeLessThanOrEqual(500);
		expect(description.length).toBeGreaterThan(400);
		expect(description.endsWith('…')).toBe(true);
	});
});

describe('jsonLdScriptContent', () => {
	it('cannot close the script element and still parses back to the same value', () => {
		const value = { name: '</script><script>alert(1)</script> & <!-- \u2028\u2029' };
		const content = jsonLdScriptContent(value);
		expect(content).not.toMatch(/[<>&\u2028\u2029]/);
		expect(content).toContain('\\u003c/script\\u003e');
		expect(JSON.parse(content)).toEqual(value);
	});

	it('writes null for a value JSON cannot represent', () => {
		expect(jsonLdScriptContent(undefined)).toBe('null');
	});
});

describe('icsFilename', () => {
	it('makes a safe ASCII name', () => {
		expect(icsFilename('Knowledge Café — December')).toBe('knowledge-cafe-december.ics');
		expect(icsFilename('Straße & Smørrebrød: 2026!')).toBe('strasse-smorrebrod-2026.ics');
		expect(icsFilename('../../etc/passwd')).toBe('etc-passwd.ics');
		expect(icsFilename('🎉🎉')).toBe('event.ics');
	});

	it('keeps long names short, cutting between words', () => {
		const name = icsFilename('A very long title that goes on and on about many things indeed yes');
		expect(name).toBe('a-very-long-title-that-goes-on-and-on-about-many-things.ics');
		expect(name.length).toBeLessThanOrEqual(64);
	});
});
