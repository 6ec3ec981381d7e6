import { describe, expect, it } from 'vitest';
import {
	addDaysToDate,
	formatDate,
	formatDeadline,
	formatEventWhen,
	formatShortDate,
	formatTime,
	isValidTimeZone,
	localDayStartUtc,
	localToUtc,
	monthGrid,
	monthOf,
	parseMonth,
	TIME_BAND_HINTS,
	TIME_BAND_LABELS,
	TIME_BANDS,
	timeBand,
	utcToLocal
} from './event-time';

const LONDON = 'Europe/London';

describe('localToUtc', () => {
	it('treats winter London time as UTC', () => {
		expect(localToUtc('2026-11-26', '18:00', LONDON)).toEqual({
			ok: true,
			iso: '2026-11-26T18:00:00.000Z'
		});
	});

	it('takes an hour off summer London time', () => {
		expect(localToUtc('2026-06-01', '18:00', LONDON)).toEqual({
			ok: true,
			iso: '2026-06-01T17:00:00.000Z'
		});
	});

	it('accepts a one-digit hour', () => {
		expect(localToUtc('2026-11-26', '9:05', LONDON)).toEqual({
			ok: true,
			iso: '2026-11-26T09:05:00.000Z'
		});
	});

	it('handles midnight and the last minute of the day', () => {
		expect(localToUtc('2026-06-01', '00:00', LONDON)).toEqual({
			ok: true,
			iso: '2026-05-31T23:00:00.000Z'
		});
		expect(localToUtc('2026-12-31', '23:59', LONDON)).toEqual({
			ok: true,
			iso: '2026-12-31T23:59:00.000Z'
		});
	});

	it('says the hour skipped when the clocks go forward does not exist', () => {
		// 28 March 2027: at 01:00 GMT the clocks jump to 02:00 BST.
		expect(localToUtc('2027-03-28', '00:59', LONDON)).toEqual({
			ok: true,
			iso: '2027-03-28T00:59:00.000Z'
		});
		expect(localToUtc('2027-03-28', '01:00', LONDON)).toEqual({ ok: false, reason: 'nonexistent' });
		expect(localToUtc('2027-03-28', '01:30', LONDON)).toEqual({ ok: false, reason: 'nonexistent' });
		expect(localToUtc('2027-03-28', '01:59', LONDON)).toEqual({ ok: false, reason: 'nonexistent' });
		expect(localToUtc('2027-03-28', '02:00', LONDON)).toEqual({
			ok: true,
			iso: '2027-03-28T01:00:00.000Z'
		});
		expect(localToUtc('2027-03-28', '02:30', LONDON)).toEqual({
			ok: true,
			iso: '2027-03-28T01:30:00.000Z'
		});
	});

	it('picks the first of the two times the hour happens when the clocks go back', () => {
		// 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
		expect(localToUtc('2026-10-25', '01:30', LONDON)).toEqual({
			ok: true,
			iso: '2026-10-25T00:30:00.000Z'
		});
		expect(localToUtc('2026-10-25', '01:00', LONDON)).toEqual({
			ok: true,
			iso: '2026-10-25T00:00:00.000Z'
		});
		expect(localToUtc('2026-10-25', '00:59', LONDON)).toEqual({
			ok: true,
			iso: '2026-10-24T23:59:00.000Z'
		});
		expect(localToUtc('2026-10-25', '02:00', LONDON)).toEqual({
			ok: true,
			iso: '2026-10-25T02:00:00.000Z'
		});
	});

	it('works in New York, including its own clock changes', () => {
		expect(localToUtc('2026-01-15', '09:00', 'America/New_York')).toEqual({
			ok: true,
			iso: '2026-01-15T14:00:00.000Z'
		});
		expect(localToUtc('2026-07-15', '09:00', 'America/New_York')).toEqual({
			ok: true,
			iso: '2026-07-15T13:00:00.000Z'
		});
		// 8 March 2026: 02:00 EST jumps to 03:00 EDT.
		expect(localToUtc('2026-03-08', '02:30', 'America/New_York')).toEqual({
			ok: false,
			reason: 'nonexistent'
		});
		// 1 November 2026: 02:00 EDT goes back to 01:00 EST; 01:30 EDT comes first.
		expect(localToUtc('2026-11-01', '01:30', 'America/New_York')).toEqual({
			ok: true,
			iso: '2026-11-01T05:30:00.000Z'
		});
	});

	it('works with half-hour and 45-minute offsets', () => {
		expect(localToUtc('2026-06-01', '09:00', 'Asia/Kolkata')).toEqual({
			ok: true,
			iso: '2026-06-01T03:30:00.000Z'
		});
		expect(localToUtc('2026-06-01', '00:15', 'Asia/Kolkata')).toEqual({
			ok: true,
			iso: '2026-05-31T18:45:00.000Z'
		});
		expect(localToUtc('2026-06-01', '12:00', 'Asia/Kathmandu')).toEqual({
			ok: true,
			iso: '2026-06-01T06:15:00.000Z'
		});
	});

	it('works on Lord Howe Island, where the clocks change by half an hour', () => {
		// Winter +10:30, summer +11:00; the clocks went forward at 02:00 on 4 October 2026.
		expect(localToUtc('2026-06-01', '12:00', 'Australia/Lord_Howe')).toEqual({
			ok: true,
			iso: '2026-06-01T01:30:00.000Z'
		});
		expect(localToUtc('2027-01-01', '12:00', 'Australia/Lord_Howe')).toEqual({
			ok: true,
			iso: '2027-01-01T01:00:00.000Z'
		});
		expect(localToUtc('2026-10-04', '02:15', 'Australia/Lord_Howe')).toEqual({
			ok: false,
			reason: 'nonexistent'
		});
		expect(localToUtc('2026-10-04', '02:30', 'Australia/Lord_Howe')).toEqual({
			ok: true,
			iso: '2026-10-03T15:30:00.000Z'
		});
	});

	it('rejects malformed and impossible dates and times', () => {
		const invalid = { ok: false, reason: 'invalid' };
		expect(localToUtc('2026-02-30', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-02-29', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-13-01', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-00-10', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-1-5', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('', '10:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '25:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '24:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '10:60', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '10', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '10:00:00', LONDON)).toEqual(invalid);
		expect(localToUtc('2026-06-01', '6pm', LONDON)).toEqual(invalid);
		expect(localToUtc('2028-02-29', '10:00', LONDON)).toEqual({
			ok: true,
			iso: '2028-02-29T10:00:00.000Z'
		});
	});
});

describe('utcToLocal', () => {
	it('gives the local date, time and weekday', () => {
		expect(utcToLocal('2026-06-01T17:30:00.000Z', LONDON)).toEqual({
			date: '2026-06-01',
			time: '18:30',
			weekday: 1,
			hour: 18,
			minute: 30
		});
	});

	it('moves to the next day when local time has passed midnight', () => {
		expect(utcToLocal('2026-06-06T23:30:00.000Z', LONDON)).toEqual({
			date: '2026-06-07',
			time: '00:30',
			weekday: 0,
			hour: 0,
			minute: 30
		});
		expect(utcToLocal('2026-12-31T20:00:00.000Z', 'Asia/Kolkata')).toEqual({
			date: '2027-01-01',
			time: '01:30',
			weekday: 5,
			hour: 1,
			minute: 30
		});
	});

	it('shows both of the repeated hours when the clocks go back', () => {
		expect(utcToLocal('2026-10-25T00:30:00.000Z', LONDON).time).toBe('01:30');
		expect(utcToLocal('2026-10-25T01:30:00.000Z', LONDON).time).toBe('01:30');
	});

	it('throws for something that is not a timestamp', () => {
		expect(() => utcToLocal('not a date', LONDON)).toThrow(RangeError);
	});
});

describe('time bands', () => {
	it('lists the bands with labels and hints', () => {
		expect(TIME_BANDS).toEqual(['breakfast', 'daytime', 'lunch', 'evening', 'weekend']);
		expect(TIME_BAND_HINTS.breakfast).toBe('Starts before 10am on a weekday');
		for (const band of TIME_BANDS) {
			expect(TIME_BAND_LABELS[band]).toMatch(/^[A-Z][a-z]+$/);
			expect(TIME_BAND_HINTS[band]).toMatch(/^Starts /);
		}
	});

	it('puts weekday starts in bands by local time, at the boundaries', () => {
		// Tuesday 1 December 2026, London is on GMT.
		expect(timeBand('2026-12-01T00:00:00.000Z', LONDON)).toBe('breakfast');
		expect(timeBand('2026-12-01T09:59:00.000Z', LONDON)).toBe('breakfast');
		expect(timeBand('2026-12-01T10:00:00.000Z', LONDON)).toBe('daytime');
		expect(timeBand('2026-12-01T11:59:00.000Z', LONDON)).toBe('daytime');
		expect(timeBand('2026-12-01T12:00:00.000Z', LONDON)).toBe('lunch');
		expect(timeBand('2026-12-01T13:59:00.000Z', LONDON)).toBe('lunch');
		expect(timeBand('2026-12-01T14:00:00.000Z', LONDON)).toBe('daytime');
		expect(timeBand('2026-12-01T16:59:00.000Z', LONDON)).toBe('daytime');
		expect(timeBand('2026-12-01T17:00:00.000Z', LONDON)).toBe('evening');
		expect(timeBand('2026-12-01T23:59:00.000Z', LONDON)).toBe('evening');
	});

	it('uses summer time, not UTC', () => {
		// Monday 1 June 2026: 08:30Z is 09:30 BST and 09:30Z is 10:30 BST.
		expect(timeBand('2026-06-01T08:30:00.000Z', LONDON)).toBe('breakfast');
		expect(timeBand('2026-06-01T09:30:00.000Z', LONDON)).toBe('daytime');
		expect(timeBand('2026-06-01T16:30:00.000Z', LONDON)).toBe('evening');
	});

	it('puts Saturday and Sunday in the weekend band, judged by the local day', () => {
		expect(timeBand('2026-12-05T09:00:00.000Z', LONDON)).toBe('weekend');
		expect(timeBand('2026-12-06T18:00:00.000Z', LONDON)).toBe('weekend');
		// Friday 23:30Z is already Saturday in BST, and Sunday 23:30Z is Monday.
		expect(timeBand('2026-06-05T23:30:00.000Z', LONDON)).toBe('weekend');
		expect(timeBand('2026-06-07T23:30:00.000Z', LONDON)).toBe('breakfast');
		// Friday 20:00Z is Saturday 01:30 in Kolkata.
		expect(timeBand('2026-06-05T20:00:00.000Z', 'Asia/Kolkata')).toBe('weekend');
	});
});

describe('formatting', () => {
	it('formats dates in full and in short', () => {
		expect(formatDate('2026-12-01T18:00:00.000Z', LONDON)).toBe('Tuesday 1 December 2026');
		expect(formatShortDate('2026-12-01T18:00:00.000Z', LONDON)).toBe('1 Dec 2026');
		expect(formatShortDate('2026-09-10T12:00:00.000Z', LONDON)).toBe('10 Sep 2026');
		// 23:30Z on 31 May is 00:30 on 1 June in BST.
		expect(formatDate('2026-05-31T23:30:00.000Z', LONDON)).toBe('Monday 1 June 2026');
	});

	it('gives a deadline as a time and a date in words, in the local time zone', () => {
		expect(formatDeadline('2026-12-01T18:30:00.000Z', LONDON)).toBe(
			'6:30pm on Tuesday 1 December 2026'
		);
		// 23:30Z on 31 May is 00:30 on 1 June in BST.
		expect(formatDeadline('2026-05-31T23:30:00.000Z', LONDON)).toBe(
			'12:30am on Monday 1 June 2026'
		);
	});

	it('formats times GOV.UK style', () => {
		expect(formatTime('2026-12-01T18:00:00.000Z', LONDON)).toBe('6pm');
		expect(formatTime('2026-12-01T18:30:00.000Z', LONDON)).toBe('6:30pm');
		expect(formatTime('2026-12-01T09:05:00.000Z', LONDON)).toBe('9:05am');
		expect(formatTime('2026-12-01T12:00:00.000Z', LONDON)).toBe('midday');
		expect(formatTime('2026-12-01T12:15:00.000Z', LONDON)).toBe('12:15pm');
		expect(formatTime('2026-12-01T00:00:00.000Z', LONDON)).toBe('midnight');
		expect(formatTime('2026-12-01T00:30:00.000Z', LONDON)).toBe('12:30am');
		expect(formatTime('2026-12-01T23:00:00.000Z', LONDON)).toBe('11pm');
		expect(formatTime('2026-06-01T11:00:00.000Z', LONDON)).toBe('midday');
		expect(formatTime('2026-06-01T11:00:00.000Z', 'Asia/Kolkata')).toBe('4:30pm');
	});

	it('formats an event on one day', () => {
		expect(formatEventWhen('2026-12-01T18:00:00.000Z', '2026-12-01T19:30:00.000Z', LONDON)).toBe(
			'Tuesday 1 December 2026, 6pm to 7:30pm'
		);
		expect(formatEventWhen('2026-06-01T11:00:00.000Z', '2026-06-01T12:00:00.000Z', LONDON)).toBe(
			'Monday 1 June 2026, midday to 1pm'
		);
	});

	it('formats an event that runs into another day', () => {
		expect(formatEventWhen('2026-12-01T18:00:00.000Z', '2026-12-02T10:00:00.000Z', LONDON)).toBe(
			'Tuesday 1 December 2026, 6pm to Wednesday 2 December 2026, 10am'
		);
		expect(formatEventWhen('2026-12-01T20:00:00.000Z', '2026-12-02T00:00:00.000Z', LONDON)).toBe(
			'Tuesday 1 December 2026, 8pm to Wednesday 2 December 2026, midnight'
		);
	});

	it('compares days in local time, not UTC', () => {
		// 22:00Z to 23:30Z on 31 May is 11pm to 12:30am BST, across midnight.
		expect(formatEventWhen('2026-05-31T22:00:00.000Z', '2026-05-31T23:30:00.000Z', LONDON)).toBe(
			'Sunday 31 May 2026, 11pm to Monday 1 June 2026, 12:30am'
		);
	});

	it('formats just the start when there is no end', () => {
		expect(formatEventWhen('2026-12-01T18:00:00.000Z', null, LONDON)).toBe(
			'Tuesday 1 December 2026, 6pm'
		);
	});
});

describe('localDayStartUtc', () => {
	it('is local midnight on an ordinary day', () => {
		expect(localDayStartUtc('2026-12-01', LONDON)).toBe('2026-12-01T00:00:00.000Z');
		expect(localDayStartUtc('2026-06-01', LONDON)).toBe('2026-05-31T23:00:00.000Z');
		expect(localDayStartUtc('2026-06-01', 'Asia/Kolkata')).toBe('2026-05-31T18:30:00.000Z');
	});

	it('handles the days the clocks change in London', () => {
		expect(localDayStartUtc('2027-03-28', LONDON)).toBe('2027-03-28T00:00:00.000Z');
		expect(localDayStartUtc('2027-03-29', LONDON)).toBe('2027-03-28T23:00:00.000Z');
		expect(localDayStartUtc('2026-10-25', LONDON)).toBe('2026-10-24T23:00:00.000Z');
		expect(localDayStartUtc('2026-10-26', LONDON)).toBe('2026-10-26T00:00:00.000Z');
	});

	it('starts the day when the clocks change if midnight is skipped', () => {
		// Havana: at midnight on 8 March 2026, 00:00 CST jumps to 01:00 CDT (05:00Z).
		expect(localToUtc('2026-03-08', '00:00', 'America/Havana')).toEqual({
			ok: false,
			reason: 'nonexistent'
		});
		expect(localDayStartUtc('2026-03-08', 'America/Havana')).toBe('2026-03-08T05:00:00.000Z');
	});

	it('throws for a date that does not exist', () => {
		expect(() => localDayStartUtc('2026-02-30', LONDON)).toThrow(RangeError);
	});
});

describe('addDaysToDate', () => {
	it('does calendar arithmetic', () => {
		expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDaysToDate('2027-01-01', -1)).toBe('2026-12-31');
		expect(addDaysToDate('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDaysToDate('2027-02-28', 1)).toBe('2027-03-01');
		expect(addDaysToDate('2027-03-27', 2)).toBe('2027-03-29');
		expect(addDaysToDate('2026-06-15', 0)).toBe('2026-06-15');
		expect(addDaysToDate('2026-01-01', 365)).toBe('2027-01-01');
	});

	it('throws for bad input', () => {
		expect(() => addDaysToDate('2026-02-30', 1)).toThrow(RangeError);
		expect(() => addDaysToDate('2026-02-01', 1.5)).toThrow(RangeError);
	});
});

describe('months', () => {
	it('lays out November 2026 as whole weeks from Monday to Sunday', () => {
		const grid = monthGrid('2026-11');
		expect(grid.month).toBe('2026-11');
		expect(grid.label).toBe('November 2026');
		expect(grid.previous).toBe('2026-10');
		expect(grid.next).toBe('2026-12');
		expect(grid.weeks).toHaveLength(6);
		expect(grid.weeks.every((week) => week.length === 7)).toBe(true);
		expect(grid.weeks[0]?.[0]).toEqual({ date: '2026-10-26', inMonth: false });
		expect(grid.weeks[0]?.[6]).toEqual({ date: '2026-11-01', inMonth: true });
		expect(grid.weeks[5]?.[0]).toEqual({ date: '2026-11-30', inMonth: true });
		expect(grid.weeks[5]?.[1]).toEqual({ date: '2026-12-01', inMonth: false });
		expect(grid.weeks[5]?.[6]).toEqual({ date: '2026-12-06', inMonth: false });
		const days = grid.weeks.flat();
		expect(days.filter((day) => day.inMonth)).toHaveLength(30);
		// Every day follows the one before, with none missing or repeated.
		const dates = days.map((day) => day.date);
		expect(dates.slice(1)).toEqual(dates.slice(0, -1).map((date) => addDaysToDate(date, 1)));
	});

	it('needs no padding when a month starts on Monday and ends on Sunday', () => {
		// February 2027 starts on Monday 1 and ends on Sunday 28.
		const grid = monthGrid('2027-02');
		expect(grid.weeks).toHaveLength(4);
		expect(grid.weeks[0]?.[0]).toEqual({ date: '2027-02-01', inMonth: true });
		expect(grid.weeks[3]?.[6]).toEqual({ date: '2027-02-28', inMonth: true });
	});

	it('moves between years', () => {
		const december = monthGrid('2026-12');
		expect(december.label).toBe('December 2026');
		expect(december.previous).toBe('2026-11');
		expect(december.next).toBe('2027-01');
		expect(monthGrid('2027-01').previous).toBe('2026-12');
	});

	it('throws for a month that is not valid', () => {
		expect(() => monthGrid('2026-13')).toThrow(RangeError);
	});

	it('parses months', () => {
		expect(parseMonth('2026-11')).toBe('2026-11');
		expect(parseMonth('2000-01')).toBe('2000-01');
		expect(parseMonth('2100-12')).toBe('2100-12');
		expect(parseMonth(null)).toBeNull();
		expect(parseMonth('')).toBeNull();
		expect(parseMonth('1999-12')).toBeNull();
		expect(parseMonth('2101-01')).toBeNull();
		expect(parseMonth('2026-00')).toBeNull();
		expect(parseMonth('2026-13')).toBeNull();
		expect(parseMonth('2026-1')).toBeNull();
		expect(parseMonth('2026-11-01')).toBeNull();
		expect(parseMonth(' 2026-11')).toBeNull();
	});

	it('finds the local month of a timestamp', () => {
		expect(monthOf('2026-11-30T23:30:00.000Z', LONDON)).toBe('2026-11');
		expect(monthOf('2026-05-31T23:30:00.000Z', LONDON)).toBe('2026-06');
		expect(monthOf('2026-12-31T20:00:00.000Z', 'Asia/Kolkata')).toBe('2027-01');
	});
});

describe('isValidTimeZone', () => {
	it('accepts IANA names and rejects anything else', () => {
		expect(isValidTimeZone('Europe/London')).toBe(true);
		expect(isValidTimeZone('America/New_York')).toBe(true);
		expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
		expect(isValidTimeZone('UTC')).toBe(true);
		expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
		expect(isValidTimeZone('London')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
		expect(isValidTimeZone(' Europe/London')).toBe(false);
	});
});
