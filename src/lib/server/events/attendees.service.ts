import type { Kysely } from 'kysely';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { csvCell } from '../csv';
import { nowIso } from '../ids';
import { findEventRow } from './events.repository';
import { standingOf } from './events.service';
import {
	ACCESS_NEEDS,
	ACCESS_NEED_LABELS,
	NEEDS_NEEDING_CONTACT,
	type AccessNeed,
	type Event,
	type RegistrationStatus
} from './events.tables';

export interface Attendee {
	id: string;
	name: string;
	status: RegistrationStatus;
	places: number;
	checkedIn: boolean;
	/** Only for needs the host must talk to them about: what they asked for and how to reach them. */
	contact: { email: string; needs: string[]; details: string | null } | null;
}

export interface AttendeeList {
	event: Pick<Event, 'id' | 'title' | 'starts_at' | 'capacity' | 'places_taken' | 'status'>;
	/** People with a place (confirmed or offered), then the waitlist in order. */
	attendees: Attendee[];
	waitlist: Attendee[];
	/** How many people with a place asked for each need. */
	needTotals: Array<{ need: AccessNeed; label: string; count: number }>;
	livedExperience: number;
	checkedIn: number;
}

const MANAGE = 'Only the host, its organisation’s admins and curators can see who is coming.';

/**
 * Who is coming, for the people running the event. Access needs are totals; a name and address
 * appear beside a need only when meeting it means talking to the person (food, childcare, other).
 */
export async function getAttendees(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string
): Promise<AttendeeList | undefined> {
	const event = await findEventRow(db, eventId);
	if (!event) return undefined;
	assertCan((await standingOf(db, actor, event)).manage, MANAGE);
	const rows = await db
		.selectFrom('event_registration as r')
		.leftJoin('app_user as u', 'u.id', 'r.user_id')
		.selectAll('r')
		.select(['u.name as user_name', 'u.email as user_email'])
		.where('r.event_id', '=', eventId)
		.where('r.status', 'in', ['confirmed', 'offered', 'waitlisted'])
		.orderBy('r.status')
		.orderBy('r.queue_number')
		.orderBy('r.created_at')
		.execute();
	const needTotals = ACCESS_NEEDS.map((need) => ({
		need,
		label: ACCESS_NEED_LABELS[need],
		count: 0
	}));
	let livedExperience = 0;
	let checkedIn = 0;
	const attendees: Attendee[] = [];
	const waitlist: Attendee[] = [];
	for (const r of rows) {
		const holding = r.status !== 'waitlisted';
		const contactNeeds = NEEDS_NEEDING_CONTACT.filter((n) => r[`need_${n}`] === 1);
		if (holding) {
			for (const total of needTotals) if (r[`need_${total.need}`] === 1) total.count++;
			if (r.lived_experience === 1) livedExperience++;
			if (r.checked_in_at) checkedIn++;
		}
		const email = r.user_email ?? r.email ?? '';
		const attendee: Attendee = {
			id: r.id,
			name: r.user_name ?? r.name ?? 'Unknown',
			status: r.status,
			places: r.places,
			checkedIn: !!r.checked_in_at,
			contact: contactNeeds.length
				? {
						email,
						needs: contactNeeds.map((n) => ACCESS_NEED_LABELS[n]),
						details: r.need_details
					}
				: null
		};
		(holding ? attendees : waitlist).push(attendee);
	}
	attendees.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
	return {
		event: {
			id: event.id,
			title: event.title,
			starts_at: event.starts_at,
			capacity: event.capacity,
			places_taken: event.places_taken,
			status: event.status
		},
		attendees,
		waitlist,
		needTotals,
		livedExperience,
		checkedIn
	};
}

/** Ticks someone in on the day (or takes the tick off again). */
export async function setCheckedIn(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	registrationId: string,
	checkedIn: boolean,
	now = nowIso()
): Promise<{ ok: true } | { ok: false; reason: 'not_found' }> {
	const event = await findEventRow(db, eventId);
	if (!event) return { ok: false, reason: 'not_found' };
	assertCan((await standingOf(db, actor, event)).manage, MANAGE);
	const result = await db
		.updateTable('event_registration')
		.set({ checked_in_at: checkedIn ? now : null, updated_at: now })
		.where('id', '=', registrationId)
		.where('event_id', '=', eventId)
		.where('status', '=', 'confirmed')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) ? { ok: true } : { ok: false, reason: 'not_found' };
}

/** The list as CSV for a spreadsheet: names, places and check-in, never access needs. */
export function attendeesCsv(list: AttendeeList): string {
	const lines = [['Name', 'Status', 'Places', 'Checked in'].map(csvCell).join(',')];
	const label: Record<string, string> = {
		confirmed: 'Has a place',
		offered: 'Offered a place',
		waitlisted: 'Waitlist'
	};
	for (const a of [...list.attendees, ...list.waitlist]) {
		lines.push(
			[a.name, label[a.status] ?? a.status, a.places, a.checkedIn ? 'Yes' : 'No']
				.map(csvCell)
				.join(',')
		);
	}
	return lines.join('\r\n') + '\r\n';
}
