import type { Kysely, Transaction } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import type { FieldErrors, FormValues } from '../forms';
import { parseForm, toFormData } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { readSetting } from '../settings/settings.repository';
import { Refusal, refusable as refusableAs } from '../refusals';
import { readRegistrationToken, type EventsSite } from './events.links';
import {
	alreadyRegisteredMail,
	confirmRegistrationMail,
	offerExpiredMail,
	placeConfirmedMail,
	placeOfferedMail,
	registrationCancelledMail,
	waitlistedMail,
	type Registrant
} from './events.mails';
import { ownsRegistration } from './events.permissions';
import {
	findActiveRegistration,
	findMailEvent,
	findRegistrationRow,
	insertRegistrationRow,
	listWaitlist,
	lockEventRow,
	nextQueueNumber,
	placeUsage,
	registrantOf,
	waitlistPosition
} from './events.repository';
import {
	REGISTRATION_LIST_FIELDS,
	registrationSchema,
	visitorRegistrationSchema,
	type RegistrationInput
} from './events.schema';
import {
	ACCESS_NEEDS,
	type Event,
	type EventRegistration,
	type NewEventRegistration
} from './events.tables';

/** The instance setting for how long a freed place is held for the next person, in hours. */
export const CLAIM_WINDOW_SETTING = 'events.claim_window_hours';
export const DEFAULT_CLAIM_WINDOW_HOURS = 24;
/** However near the event, an offer is held at least this long (unless the event starts first). */
const MIN_CLAIM_WINDOW_MS = 30 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Why someone cannot register (or change a registration) right now. */
export type RegistrationRefusal =
	| 'not_found'
	| 'cancelled'
	| 'past'
	| 'not_open'
	| 'closed'
	| 'already'
	| 'offer_expired'
	| 'not_offered'
	| 'not_yours';

export const REFUSAL_MESSAGES: Record<RegistrationRefusal, string> = {
	not_found: 'We could not find that event or registration.',
	cancelled: 'This event has been cancelled, so registration is closed.',
	past: 'This event has already started, so registration is closed.',
	not_open: 'Registration for this event has not opened yet.',
	closed: 'Registration for this event has closed.',
	already: 'You have already registered for this event.',
	offer_expired:
		'Sorry, the time to take this place has run out, so it has gone to the next person on the waitlist.',
	not_offered: 'There is no place waiting for you to take at the moment.',
	not_yours: 'This registration belongs to someone else.'
};

type Refused = { ok: false; reason: RegistrationRefusal };
type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };

export type Placement =
	{ status: 'confirmed' } | { status: 'waitlisted'; position: number } | { status: 'unconfirmed' };

/** Refusals found inside a transaction roll it back; a second registration racing in is 'already'. */
function refusable<T>(work: () => Promise<T>): Promise<T | Refused> {
	return refusableAs<T, RegistrationRefusal>(work, 'already');
}

/** Whether people can register for the event at `now`, or why not. */
export function registrationState(
	event: Pick<
		Event,
		'status' | 'approval' | 'starts_at' | 'registration_opens_at' | 'registration_closes_at'
	>,
	now: string
):
	'open' | Exclude<RegistrationRefusal, 'already' | 'offer_expired' | 'not_offered' | 'not_yours'> {
	if (event.approval !== 'approved') return 'not_found';
	if (event.status === 'cancelled') return 'cancelled';
	if (event.status === 'completed' || event.starts_at <= now) return 'past';
	if (event.registration_opens_at && now < event.registration_opens_at) return 'not_open';
	if (event.registration_closes_at && now >= event.registration_closes_at) return 'closed';
	return 'open';
}

/**
 * Whether `wanted` places fit. Places kept for lived experience (`reserved_places`) are held back
 * from everyone else: they may fill at most `capacity - reserved_places`.
 */
export function placesFit(
	event: Pick<Event, 'capacity' | 'reserved_places'>,
	usage: { taken: number; general: number },
	wanted: { places: number; livedExperience: boolean }
): boolean {
	if (event.capacity === null) return true;
	if (usage.taken + wanted.places > event.capacity) return false;
	if (wanted.livedExperience) return true;
	return usage.general + wanted.places <= event.capacity - event.reserved_places;
}

/** How long an offered place is held: the setting (24 h), shorter as the event gets near. */
export async function claimWindowMs(
	db: Kysely<DB> | Transaction<DB>,
	startsAt: string,
	now: string
): Promise<number> {
	const setting = Number(await readSetting(db, CLAIM_WINDOW_SETTING));
	const hours = Number.isFinite(setting) && setting > 0 ? setting : DEFAULT_CLAIM_WINDOW_HOURS;
	const untilStart = Date.parse(startsAt) - Date.parse(now);
	const window = Math.min(hours * HOUR_MS, Math.max(MIN_CLAIM_WINDOW_MS, untilStart / 2));
	return Math.max(0, Math.min(window, untilStart));
}

function needColumns(input: RegistrationInput) {
	const needs = new Set(input.needs);
	const columns = Object.fromEntries(
		ACCESS_NEEDS.map((need) => [`need_${need}`, needs.has(need) ? 1 : 0])
	) as Record<`need_${(typeof ACCESS_NEEDS)[number]}`, number>;
	return {
		...columns,
		places: needs.has('companion') ? 2 : 1,
		lived_experience: input.livedExperience ? 1 : 0,
		need_details: input.needDetails
	};
}

async function setPlacesTaken(trx: Transaction<DB>, eventId: string, now: string): Promise<void> {
	const usage = await placeUsage(trx, eventId);
	await trx
		.updateTable('event')
		.set({ places_taken: usage.taken })
		.where('id', '=', eventId)
		.execute();
	void now;
}

async function mailEventOrThrow(trx: Transaction<DB>, eventId: string) {
	const event = await findMailEvent(trx, eventId);
	if (!event) throw new Refusal('not_found');
	return event;
}

/**
 * Gives a confirmed registration a place, or puts it on the waitlist, and writes the mail that
 * says which. The event row must be locked by the caller.
 */
async function place(
	trx: Transaction<DB>,
	site: EventsSite,
	event: Event,
	registration: EventRegistration,
	who: Registrant,
	now: string
): Promise<Placement> {
	const usage = await placeUsage(trx, event.id);
	// Anyone waiting who could use a free place has already been offered it (see
	// offerFreedPlaces), so a place that fits now is one nobody waiting can take.
	const fits = placesFit(event, usage, {
		places: registration.places,
		livedExperience: registration.lived_experience === 1
	});
	const mailEvent = await mailEventOrThrow(trx, event.id);
	if (fits) {
		await trx
			.updateTable('event_registration')
			.set({ status: 'confirmed', confirmed_at: now, updated_at: now })
			.where('id', '=', registration.id)
			.execute();
		await setPlacesTaken(trx, event.id, now);
		await enqueueMail(trx, placeConfirmedMail(site, who, mailEvent));
		return { status: 'confirmed' };
	}
	const queueNumber = await nextQueueNumber(trx, event.id);
	await trx
		.updateTable('event_registration')
		.set({ status: 'waitlisted', queued_at: now, queue_number: queueNumber, updated_at: now })
		.where('id', '=', registration.id)
		.execute();
	const position = await waitlistPosition(trx, {
		...registration,
		status: 'waitlisted',
		queue_number: queueNumber
	});
	await enqueueMail(trx, waitlistedMail(site, who, mailEvent, position));
	return { status: 'waitlisted', position };
}

/**
 * Offers freed places to the people waiting, in order. Someone who needs two places (with a
 * companion) keeps their turn when only one is free. The event row must be locked.
 */
export async function offerFreedPlaces(
	trx: Transaction<DB>,
	site: EventsSite,
	eventId: string,
	now: string
): Promise<number> {
	const event = await lockEventRow(trx, eventId);
	if (!event || event.status !== 'scheduled' || event.starts_at <= now) return 0;
	const usage = await placeUsage(trx, eventId);
	const window = await claimWindowMs(trx, event.starts_at, now);
	if (window <= 0) return 0;
	const expires = new Date(Date.parse(now) + window).toISOString();
	let offered = 0;
	let mailEvent;
	for (const waiting of await listWaitlist(trx, eventId)) {
		if (event.capacity !== null && usage.taken >= event.capacity) break;
		const lived = waiting.lived_experience === 1;
		if (!placesFit(event, usage, { places: waiting.places, livedExperience: lived })) continue;
		await trx
			.updateTable('event_registration')
			.set({ status: 'offered', offer_expires_at: expires, updated_at: now })
			.where('id', '=', waiting.id)
			.execute();
		usage.taken += waiting.places;
		if (!lived) usage.general += waiting.places;
		offered++;
		const who = await registrantOf(trx, waiting);
		mailEvent ??= await mailEventOrThrow(trx, eventId);
		if (who) await enqueueMail(trx, placeOfferedMail(site, who, mailEvent, expires));
	}
	if (offered) await setPlacesTaken(trx, eventId, now);
	return offered;
}

export type RegisterResult = { ok: true; registration: EventRegistration; placement: Placement };

/**
 * A member registers in one step: a place if one is free (and nobody is waiting), otherwise the
 * waitlist. Concurrent registrations are given places one at a time under the event's lock.
 */
export async function registerMember(
	db: Kysely<DB>,
	site: EventsSite,
	member: SessionUser,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<RegisterResult | Invalid | Refused> {
	const parsed = parseForm(registrationSchema, toFormData(values), {
		listFields: REGISTRATION_LIST_FIELDS
	});
	if (!parsed.ok) return { ok: false, reason: 'invalid', errors: parsed.errors };
	const input = parsed.data;
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, eventId);
			if (!event) throw new Refusal('not_found');
			const state = registrationState(event, now);
			if (state !== 'open') throw new Refusal(state);
			if (await findActiveRegistration(trx, eventId, { userId: member.id })) {
				throw new Refusal('already');
			}
			const row: NewEventRegistration = {
				id: newId(),
				event_id: eventId,
				user_id: member.id,
				name: null,
				email: null,
				status: 'unconfirmed',
				...needColumns(input),
				queued_at: now,
				created_at: now,
				updated_at: now
			};
			await insertRegistrationRow(trx, row);
			const registration = (await findRegistrationRow(trx, row.id))!;
			const who: Registrant = {
				registrationId: row.id,
				name: member.name,
				email: member.email,
				userId: member.id
			};
			const placement = await place(trx, site, event, registration, who, now);
			return {
				ok: true as const,
				registration: (await findRegistrationRow(trx, row.id))!,
				placement
			};
		})
	);
}

/**
 * A visitor without an account gives a name and address. Nothing is held until they click the
 * link we email, so nobody can fill an event with made-up addresses. The answer is the same
 * whether or not the address has registered before (that is only said by email).
 */
export async function registerVisitor(
	db: Kysely<DB>,
	site: EventsSite,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | Refused> {
	const parsed = parseForm(visitorRegistrationSchema, toFormData(values), {
		listFields: REGISTRATION_LIST_FIELDS
	});
	if (!parsed.ok) return { ok: false, reason: 'invalid', errors: parsed.errors };
	const input = parsed.data;
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, eventId);
			if (!event) throw new Refusal('not_found');
			const state = registrationState(event, now);
			if (state !== 'open') throw new Refusal(state);
			const mailEvent = await mailEventOrThrow(trx, eventId);
			const existing = await findActiveRegistration(trx, eventId, { email: input.email });
			if (existing) {
				const who = await registrantOf(trx, existing);
				if (who) {
					await enqueueMail(
						trx,
						existing.status === 'unconfirmed'
							? confirmRegistrationMail(site, who, mailEvent)
							: alreadyRegisteredMail(site, who, mailEvent)
					);
				}
				return { ok: true as const };
			}
			const row: NewEventRegistration = {
				id: newId(),
				event_id: eventId,
				user_id: null,
				name: input.name,
				email: input.email,
				status: 'unconfirmed',
				...needColumns(input),
				queued_at: now,
				created_at: now,
				updated_at: now
			};
			await insertRegistrationRow(trx, row);
			await enqueueMail(
				trx,
				confirmRegistrationMail(
					site,
					{ registrationId: row.id, name: input.name, email: input.email, userId: null },
					mailEvent
				)
			);
			return { ok: true as const };
		})
	);
}

/** Who is acting on a registration: the member signed in, or whoever holds its emailed link. */
export type RegistrationKey = { token: string } | { member: SessionUser; registrationId: string };

async function resolveRegistration(
	db: Kysely<DB> | Transaction<DB>,
	site: EventsSite,
	key: RegistrationKey
): Promise<EventRegistration> {
	const id =
		'token' in key ? readRegistrationToken(site.linkSecret, key.token) : key.registrationId;
	const registration = id ? await findRegistrationRow(db, id) : undefined;
	if (!registration) throw new Refusal('not_found');
	if ('member' in key && !ownsRegistration(key.member, registration)) {
		throw new Refusal('not_yours');
	}
	return registration;
}

/** A registration as its own page shows it. */
export async function viewRegistration(
	db: Kysely<DB>,
	site: EventsSite,
	key: RegistrationKey
): Promise<
	| {
			ok: true;
			registration: EventRegistration;
			position: number | null;
			event: NonNullable<Awaited<ReturnType<typeof findMailEvent>>>;
	  }
	| Refused
> {
	return refusable(async () => {
		const registration = await resolveRegistration(db, site, key);
		const event = await findMailEvent(db, registration.event_id);
		if (!event) throw new Refusal('not_found');
		const position =
			registration.status === 'waitlisted' ? await waitlistPosition(db, registration) : null;
		return { ok: true as const, registration, position, event };
	});
}

/** A visitor confirms their address from the emailed link: now they get a place, or wait. */
export async function confirmVisitorRegistration(
	db: Kysely<DB>,
	site: EventsSite,
	token: string,
	now = nowIso()
): Promise<{ ok: true; placement: Placement } | Refused> {
	return refusable(async () => {
		const found = await resolveRegistration(db, site, { token });
		return changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, found.event_id);
			if (!event) throw new Refusal('not_found');
			const registration = (await findRegistrationRow(trx, found.id))!;
			if (registration.status === 'confirmed') {
				return { ok: true as const, placement: { status: 'confirmed' as const } };
			}
			if (registration.status === 'waitlisted') {
				const position = await waitlistPosition(trx, registration);
				return { ok: true as const, placement: { status: 'waitlisted' as const, position } };
			}
			if (registration.status !== 'unconfirmed') throw new Refusal('not_found');
			const state = registrationState(event, now);
			if (state !== 'open') throw new Refusal(state);
			const who = await registrantOf(trx, registration);
			if (!who) throw new Refusal('not_found');
			const placement = await place(trx, site, event, registration, who, now);
			return { ok: true as const, placement };
		});
	});
}

/**
 * Cancels a registration (a place, a place on offer, or a spot on the waitlist). A freed place
 * is offered to the next person straight away.
 */
export async function cancelRegistration(
	db: Kysely<DB>,
	site: EventsSite,
	key: RegistrationKey,
	now = nowIso()
): Promise<{ ok: true; wasHolding: boolean } | Refused> {
	return refusable(async () => {
		const found = await resolveRegistration(db, site, key);
		return changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, found.event_id);
			if (!event) throw new Refusal('not_found');
			const registration = (await findRegistrationRow(trx, found.id))!;
			if (!['unconfirmed', 'confirmed', 'waitlisted', 'offered'].includes(registration.status)) {
				return { ok: true as const, wasHolding: false };
			}
			if (event.starts_at <= now) throw new Refusal('past');
			const wasHolding = registration.status === 'confirmed' || registration.status === 'offered';
			await trx
				.updateTable('event_registration')
				.set({ status: 'cancelled', cancelled_at: now, offer_expires_at: null, updated_at: now })
				.where('id', '=', registration.id)
				.execute();
			// Someone who is not coming no longer chooses the café's tables.
			if (registration.user_id) {
				await trx
					.deleteFrom('event_cafe_dot')
					.where('event_id', '=', event.id)
					.where('user_id', '=', registration.user_id)
					.execute();
			}
			if (registration.status !== 'unconfirmed') {
				const who = await registrantOf(trx, registration);
				const mailEvent = await mailEventOrThrow(trx, event.id);
				if (who) {
					await enqueueMail(trx, registrationCancelledMail(site, who, mailEvent, wasHolding));
				}
			}
			if (wasHolding) {
				await setPlacesTaken(trx, event.id, now);
				await offerFreedPlaces(trx, site, event.id, now);
			}
			return { ok: true as const, wasHolding };
		});
	});
}

/** Takes a place offered from the waitlist, while the offer lasts. */
export async function claimOffer(
	db: Kysely<DB>,
	site: EventsSite,
	key: RegistrationKey,
	now = nowIso()
): Promise<{ ok: true } | Refused> {
	return refusable(async () => {
		const found = await resolveRegistration(db, site, key);
		return changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, found.event_id);
			if (!event) throw new Refusal('not_found');
			const registration = (await findRegistrationRow(trx, found.id))!;
			if (registration.status === 'confirmed') return { ok: true as const };
			if (registration.status === 'expired') throw new Refusal('offer_expired');
			if (registration.status !== 'offered') throw new Refusal('not_offered');
			if (!registration.offer_expires_at || registration.offer_expires_at <= now) {
				throw new Refusal('offer_expired');
			}
			if (event.status === 'cancelled') throw new Refusal('cancelled');
			if (event.starts_at <= now) throw new Refusal('past');
			await trx
				.updateTable('event_registration')
				.set({ status: 'confirmed', confirmed_at: now, offer_expires_at: null, updated_at: now })
				.where('id', '=', registration.id)
				.execute();
			const who = await registrantOf(trx, registration);
			if (who)
				await enqueueMail(
					trx,
					placeConfirmedMail(site, who, await mailEventOrThrow(trx, event.id))
				);
			return { ok: true as const };
		});
	});
}

/**
 * Passes on offers nobody took in time: each goes to the next person waiting. Run by the events
 * worker every minute; safe to run on several app instances at once.
 */
export async function expireOffers(
	db: Kysely<DB>,
	site: EventsSite,
	now = nowIso(),
	batch = 50
): Promise<number> {
	const due = await db
		.selectFrom('event_registration')
		.select(['id', 'event_id'])
		.where('status', '=', 'offered')
		.where('offer_expires_at', '<=', now)
		.orderBy('offer_expires_at')
		.limit(batch)
		.execute();
	let expired = 0;
	for (const { id, event_id } of due) {
		expired += await changeContent(db, async (trx) => {
			const event = await lockEventRow(trx, event_id);
			const registration = await findRegistrationRow(trx, id);
			// Another instance (or the person) may have got here first.
			if (!event || !registration || registration.status !== 'offered') return 0;
			if (!registration.offer_expires_at || registration.offer_expires_at > now) return 0;
			await trx
				.updateTable('event_registration')
				.set({ status: 'expired', offer_expires_at: null, updated_at: now })
				.where('id', '=', id)
				.execute();
			await setPlacesTaken(trx, event_id, now);
			const who = await registrantOf(trx, registration);
			if (who) {
				await enqueueMail(trx, offerExpiredMail(site, who, await mailEventOrThrow(trx, event_id)));
			}
			await offerFreedPlaces(trx, site, event_id, now);
			return 1;
		});
	}
	return expired;
}
