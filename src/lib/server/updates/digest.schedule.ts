import { addDaysToDate, localToUtc, utcToLocal } from '../events/event-time';

/** When the weekly digest goes out, in the instance's time zone; null day means never. */
export interface DigestSchedule {
	/** 0 = Sunday … 6 = Saturday, or null when administrators have not turned it on. */
	day: number | null;
	/** 'HH:MM', 24-hour clock. */
	time: string;
}

export const DIGEST_DAY_SETTING = 'updates.digest_day';
export const DIGEST_TIME_SETTING = 'updates.digest_time';
export const DEFAULT_DIGEST_TIME = '09:00';

export const WEEKDAYS = [
	'Sunday',
	'Monday',
	'Tuesday',
	'Wednesday',
	'Thursday',
	'Friday',
	'Saturday'
] as const;

/** The schedule as stored in instance settings (anything unreadable means "not on"). */
export function readSchedule(day: string | undefined, time: string | undefined): DigestSchedule {
	const d = Number(day);
	return {
		day: day !== undefined && /^[0-6]$/.test(day) ? d : null,
		time: time && /^([01]\d|2[0-3]):[0-5]\d$/.test(time) ? time : DEFAULT_DIGEST_TIME
	};
}

/** The local time as an instant, moving past a clock change's missing hour. */
function slotAt(date: string, time: string, timeZone: string): string {
	const at = localToUtc(date, time, timeZone);
	if (at.ok) return at.iso;
	const [h = 0, m = 0] = time.split(':').map(Number);
	const later = localToUtc(
		date,
		`${String(Math.min(h + 1, 23)).padStart(2, '0')}:${String(m).padStart(2, '0')}`,
		timeZone
	);
	if (later.ok) return later.iso;
	throw new Error(`No such local time: ${date} ${time} in ${timeZone}`);
}

/**
 * The latest send time at or before `now`: its week (the local date it falls on) and the
 * instant. Null when the digest is off.
 */
export function latestDigestSlot(
	schedule: DigestSchedule,
	timeZone: string,
	now: string
): { week: string; dueAt: string } | null {
	if (schedule.day === null) return null;
	const local = utcToLocal(now, timeZone);
	let date = addDaysToDate(local.date, -((local.weekday - schedule.day + 7) % 7));
	let dueAt = slotAt(date, schedule.time, timeZone);
	if (dueAt > now) {
		date = addDaysToDate(date, -7);
		dueAt = slotAt(date, schedule.time, timeZone);
	}
	return { week: date, dueAt };
}

/** The next send time after `now` (for the administrators' page), or null when off. */
export function nextDigestSlot(
	schedule: DigestSchedule,
	timeZone: string,
	now: string
): string | null {
	const latest = latestDigestSlot(schedule, timeZone, now);
	if (!latest) return null;
	return slotAt(addDaysToDate(latest.week, 7), schedule.time, timeZone);
}
