/**
 * Event times: turning local dates and times into UTC instants and back, the time bands people
 * filter by, the month calendar, and GOV.UK-style display text.
 *
 * Timestamps are ISO-8601 UTC strings (`new Date(x).toISOString()`). Local dates are 'YYYY-MM-DD'
 * and local times 'HH:MM'. Time zones are IANA names such as 'Europe/London'. Only the built-in
 * Intl API is used; display text is built by hand so it does not depend on the ICU version.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const WEEKDAY_NAMES = [
	'Sunday',
	'Monday',
	'Tuesday',
	'Wednesday',
	'Thursday',
	'Friday',
	'Saturday'
] as const;

const MONTH_NAMES = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
] as const;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{1,2}):(\d{2})$/;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

/** A local date and time broken into numbers (month 1–12). */
interface LocalParts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** A local date and time as strings and numbers (weekday 0 = Sunday to 6 = Saturday). */
export interface LocalDateTime {
	date: string;
	time: string;
	weekday: number;
	hour: number;
	minute: number;
}

/** The result of turning a local date and time into a UTC instant. */
export type LocalToUtcResult =
	{ ok: true; iso: string } | { ok: false; reason: 'invalid' | 'nonexistent' };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		// hourCycle 'h23' avoids the old `hour12: false` quirk of showing midnight as '24'.
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			era: 'short',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Milliseconds since the epoch for a calendar date and time, treated as if it were UTC. */
function wallClockMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0) {
	const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
	// Date.UTC maps years 0–99 to 1900–1999, so set the full year separately.
	date.setUTCFullYear(year + date.getUTCFullYear() - 2000);
	return date.getTime();
}

function localParts(ms: number, timeZone: string): LocalParts {
	const values: Record<string, string> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
		values[part.type] = part.value;
	}
	const year = Number(values.year);
	return {
		year: values.era === 'BC' || values.era === 'B' ? 1 - year : year,
		month: Number(values.month),
		day: Number(values.day),
		hour: Number(values.hour) % 24,
		minute: Number(values.minute),
		second: Number(values.second)
	};
}

/** How far local time is ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
	const p = localParts(ms, timeZone);
	const wholeSecond = Math.floor(ms / 1000) * 1000;
	return wallClockMs(p.year, p.month, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

function monthName(month: number): string {
	return MONTH_NAMES[month - 1] ?? '';
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

function formatYmd(year: number, month: number, day: number): string {
	return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Splits a 'YYYY-MM-DD' string into numbers, or null when it is malformed or impossible. */
function parseDate(date: string): { year: number; month: number; day: number } | null {
	const match = DATE_PATTERN.exec(date);
	if (!match) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	return { year, month, day };
}

function requireDate(date: string): { year: number; month: number; day: number } {
	const parsed = parseDate(date);
	if (!parsed) throw new RangeError(`Not a valid date (YYYY-MM-DD): ${date}`);
	return parsed;
}

function toMs(iso: string): number {
	const ms = new Date(iso).getTime();
	if (Number.isNaN(ms)) throw new RangeError(`Not a valid timestamp: ${iso}`);
	return ms;
}

/** Whether a string is a time zone name that Intl understands, such as 'Europe/London'. */
export function isValidTimeZone(tz: string): boolean {
	if (typeof tz !== 'string' || tz.trim() === '' || tz !== tz.trim()) return false;
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/**
 * Turns a local date ('YYYY-MM-DD') and time ('HH:MM' or 'H:MM') in a time zone into a UTC ISO
 * timestamp. Times skipped when the clocks go forward are 'nonexistent'; times that happen twice
 * when the clocks go back resolve to the first (earlier) one.
 */
export function localToUtc(date: string, time: string, timeZone: string): LocalToUtcResult {
	const parsedDate = parseDate(date);
	const timeMatch = TIME_PATTERN.exec(time);
	if (!parsedDate || !timeMatch) return { ok: false, reason: 'invalid' };
	const hour = Number(timeMatch[1]);
	const minute = Number(timeMatch[2]);
	if (hour > 23 || minute > 59) return { ok: false, reason: 'invalid' };

	const target = wallClockMs(parsedDate.year, parsedDate.month, parsedDate.day, hour, minute);
	// The offsets in force around the target; any real answer uses one of them.
	const offsets = new Set([
		offsetAt(target - DAY_MS, timeZone),
		offsetAt(target, timeZone),
		offsetAt(target + DAY_MS, timeZone)
	]);
	const matches: number[] = [];
	for (const offset of offsets) {
		const candidate = target - offset;
		if (offsetAt(candidate, timeZone) === offset) matches.push(candidate);
	}
	if (matches.length === 0) return { ok: false, reason: 'nonexistent' };
	return { ok: true, iso: new Date(Math.min(...matches)).toISOString() };
}

/** The local date, time, weekday (0 = Sunday to 6 = Saturday), hour and minute of a timestamp. */
export function utcToLocal(iso: string, timeZone: string): LocalDateTime {
	const p = localParts(toMs(iso), timeZone);
	return {
		date: formatYmd(p.year, p.month, p.day),
		time: `${pad(p.hour)}:${pad(p.minute)}`,
		weekday: new Date(wallClockMs(p.year, p.month, p.day)).getUTCDay(),
		hour: p.hour,
		minute: p.minute
	};
}

/** Adds (or with a negative number, takes away) whole days from a 'YYYY-MM-DD' date. */
export function addDaysToDate(date: string, days: number): string {
	const { year, month, day } = requireDate(date);
	if (!Number.isInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`);
	const result = new Date(wallClockMs(year, month, day) + days * DAY_MS);
	return formatYmd(result.getUTCFullYear(), result.getUTCMonth() + 1, result.getUTCDate());
}

/**
 * The UTC instant at which a local day ('YYYY-MM-DD') begins. Usually local midnight; when the
 * clocks go forward at midnight, the day begins at the moment they change.
 */
export function localDayStartUtc(date: string, timeZone: string): string {
	const { year, month, day } = requireDate(date);
	const midnight = localToUtc(date, '00:00', timeZone);
	if (midnight.ok) return midnight.iso;

	// Midnight was skipped: find the first second whose local date is this day.
	const target = wallClockMs(year, month, day);
	const localMs = (ms: number) => ms + offsetAt(ms, timeZone);
	let low = Math.floor((target - offsetAt(target + DAY_MS, timeZone)) / 1000);
	let high = Math.ceil((target - offsetAt(target - DAY_MS, timeZone)) / 1000);
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		if (localMs(middle * 1000) >= target) high = middle;
		else low = middle + 1;
	}
	return new Date(low * 1000).toISOString();
}

/** The kinds of time people can filter events by. */
export type TimeBand = 'breakfast' | 'daytime' | 'lunch' | 'evening' | 'weekend';

/** Every time band, in the order to show them. */
export const TIME_BANDS: readonly TimeBand[] = [
	'breakfast',
	'daytime',
	'lunch',
	'evening',
	'weekend'
] as const;

/** Short labels for each time band. */
export const TIME_BAND_LABELS: Record<TimeBand, string> = {
	breakfast: 'Breakfast',
	daytime: 'Daytime',
	lunch: 'Lunchtime',
	evening: 'Evening',
	weekend: 'Weekend'
};

/** A sentence explaining which events fall in each time band. */
export const TIME_BAND_HINTS: Record<TimeBand, string> = {
	breakfast: 'Starts before 10am on a weekday',
	daytime: 'Starts between 10am and midday, or between 2pm and 5pm, on a weekday',
	lunch: 'Starts between midday and 2pm on a weekday',
	evening: 'Starts at 5pm or later on a weekday',
	weekend: 'Starts on a Saturday or Sunday'
};

/** The time band an event falls in, judged by its local start time. */
export function timeBand(startIso: string, timeZone: string): TimeBand {
	const { weekday, hour } = utcToLocal(startIso, timeZone);
	if (weekday === 0 || weekday === 6) return 'weekend';
	if (hour < 10) return 'breakfast';
	if (hour >= 12 && hour < 14) return 'lunch';
	if (hour >= 17) return 'evening';
	return 'daytime';
}

function dateText(local: LocalDateTime): string {
	const { year, month, day } = requireDate(local.date);
	return `${WEEKDAY_NAMES[local.weekday] ?? ''} ${day} ${monthName(month)} ${year}`;
}

function timeText(local: LocalDateTime): string {
	const { hour, minute } = local;
	if (minute === 0 && hour === 0) return 'midnight';
	if (minute === 0 && hour === 12) return 'midday';
	const suffix = hour < 12 ? 'am' : 'pm';
	const hour12 = hour % 12 === 0 ? 12 : hour % 12;
	return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${pad(minute)}${suffix}`;
}

/** The local date in full, like 'Tuesday 1 December 2026'. */
export function formatDate(iso: string, timeZone: string): string {
	return dateText(utcToLocal(iso, timeZone));
}

/** The local time GOV.UK style, like '6pm', '6:30pm', 'midday' or 'midnight'. */
export function formatTime(iso: string, timeZone: string): string {
	return timeText(utcToLocal(iso, timeZone));
}

/** A deadline in words, like '6pm on Tuesday 1 December 2026' (offers, closing times). */
export function formatDeadline(iso: string, timeZone: string): string {
	const local = utcToLocal(iso, timeZone);
	return `${timeText(local)} on ${dateText(local)}`;
}

/** The local date in short, like '1 Dec 2026'. */
export function formatShortDate(iso: string, timeZone: string): string {
	const { year, month, day } = requireDate(utcToLocal(iso, timeZone).date);
	return `${day} ${monthName(month).slice(0, 3)} ${year}`;
}

/**
 * When an event happens, like 'Tuesday 1 December 2026, 6pm to 7:30pm', naming the end date too
 * when the event ends on a different local day. Without an end, just the start.
 */
export function formatEventWhen(
	startIso: string,
	endIso: string | null | undefined,
	timeZone: string
): string {
	const start = utcToLocal(startIso, timeZone);
	const startText = `${dateText(start)}, ${timeText(start)}`;
	if (endIso === null || endIso === undefined) return startText;
	const end = utcToLocal(endIso, timeZone);
	if (end.date === start.date) return `${startText} to ${timeText(end)}`;
	return `${startText} to ${dateText(end)}, ${timeText(end)}`;
}

/** A day in the month calendar; inMonth is false for the days padding out the first and last weeks. */
export interface MonthGridDay {
	date: string;
	inMonth: boolean;
}

/** A month laid out as whole weeks, Monday to Sunday, with the months either side. */
export interface MonthGrid {
	month: string;
	label: string;
	previous: string;
	next: string;
	weeks: MonthGridDay[][];
}

/** A 'YYYY-MM' month between 2000 and 2100, or null for anything else (including null). */
export function parseMonth(value: string | null): string | null {
	if (typeof value !== 'string') return null;
	const match = MONTH_PATTERN.exec(value);
	if (!match) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	if (year < 2000 || year > 2100 || month < 1 || month > 12) return null;
	return value;
}

/** The local month ('YYYY-MM') a timestamp falls in. */
export function monthOf(iso: string, timeZone: string): string {
	return utcToLocal(iso, timeZone).date.slice(0, 7);
}

function shiftMonth(year: number, month: number, by: number): string {
	const index = year * 12 + (month - 1) + by;
	return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** The calendar for a 'YYYY-MM' month: whole weeks from Monday to Sunday covering every day. */
export function monthGrid(month: string): MonthGrid {
	if (parseMonth(month) === null) throw new RangeError(`Not a valid month (YYYY-MM): ${month}`);
	const { year, month: monthNumber } = requireDate(`${month}-01`);
	const first = `${month}-01`;
	const last = `${month}-${pad(daysInMonth(year, monthNumber))}`;
	const firstWeekday = new Date(wallClockMs(year, monthNumber, 1)).getUTCDay();
	// Days back to the Monday on or before the 1st (Sunday counts as the end of the week).
	let date = addDaysToDate(first, -((firstWeekday + 6) % 7));
	const weeks: MonthGridDay[][] = [];
	while (date <= last) {
		const week: MonthGridDay[] = [];
		for (let i = 0; i < 7; i++) {
			week.push({ date, inMonth: date.startsWith(`${month}-`) });
			date = addDaysToDate(date, 1);
		}
		weeks.push(week);
	}
	return {
		month,
		label: `${monthName(monthNumber)} ${year}`,
		previous: shiftMonth(year, monthNumber, -1),
		next: shiftMonth(year, monthNumber, 1),
		weeks
	};
}
