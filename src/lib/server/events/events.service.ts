import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { websiteField } from '../organisations/organisations.schema';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import {
	allErrors,
	fieldErrors,
	parseForm,
	toFormData,
	wholeNumber,
	type FieldErrors,
	type FormValues
} from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { markdownExcerpt } from '../markdown';
import { plural } from '$lib/plural';
import { canActForOrganisation } from '../organisations/organisations.permissions';
import { findMembership } from '../organisations/organisations.repository';
import { consumeRateLimit } from '../rate-limit/rate-limit.service';
import { readSetting } from '../settings/settings.repository';
import { formatEventWhen, localToUtc, timeBand, utcToLocal } from './event-time';
import { eventPath, type EventsSite } from './events.links';
import { indexNewEvent, refreshEventSearch } from './events.search';
import {
	approvedMail,
	awaitingApprovalMail,
	eventCancelledMail,
	eventChangedMail,
	hostMessageMail
} from './events.mails';
import {
	canApproveEvents,
	canHostEvent,
	canManageEvent,
	canSeeEvent,
	isCurator
} from './events.permissions';
import {
	findEventRow,
	findFormat,
	findMailEvent,
	hasApprovedEvent,
	insertEventRow,
	listCurators,
	listFormatRows,
	listPublicEventsHostedBy,
	listRegistrants,
	lockEventRow,
	placeUsage
} from './events.repository';
import {
	cancelEventSchema,
	EVENT_DESCRIPTION_MAX,
	EVENT_LIST_FIELDS,
	eventSchema,
	messageSchema,
	type EventInput
} from './events.schema';
import { offerFreedPlaces } from './registrations.service';
import { findImage, stagePicture, type PictureChange } from '../uploads/image-store';
import { toPicture, type Picture } from '$lib/pictures';
import type { PictureField } from '../uploads/uploads';
import { readCover, type CoverPlan } from './event-cover';
import {
	ACCESS_FEATURES,
	type AccessFeature,
	type Event,
	type EventFormat,
	type NewEvent
} from './events.tables';

/** Instance setting: "on" (default) makes a member's first event wait for a curator. */
export const APPROVE_FIRST_EVENT_SETTING = 'events.approve_first_event';
/** The longest an event may last (listings rely on it to read only the index range they need). */
export const MAX_EVENT_MS = 7 * 24 * 60 * 60 * 1000;
/** Characters of plain text kept from a description for lists and cards. */
export const SUMMARY_LENGTH = 200;
/** How many events one person may add in a day (so nobody can flood the listings). */
export const EVENTS_PER_DAY = 20;
/** How many messages a host may send to the people coming, per event per day. */
export const HOST_MESSAGES_PER_DAY = 5;

type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
type NotFound = { ok: false; reason: 'not_found' };

export async function listFormats(db: Kysely<DB>): Promise<EventFormat[]> {
	return listFormatRows(db);
}

/** What the actor may do with this event, with what decides it looked up. */
export async function standingOf(
	db: Kysely<DB> | Transaction<DB>,
	actor: Actor | null | undefined,
	event: Pick<Event, 'host_id' | 'organisation_id' | 'approval'>
) {
	let actorIsOrganisationAdmin = false;
	if (isPerson(actor) && event.organisation_id) {
		const membership = await findMembership(db, event.organisation_id, actor.id);
		actorIsOrganisationAdmin = membership?.role === 'admin';
	}
	const standing = { host_id: event.host_id, actorIsOrganisationAdmin };
	return {
		manage: canManageEvent(actor, standing),
		see: canSeeEvent(actor, { ...standing, approval: event.approval })
	};
}

/** What the rules after the schema found, and the instants and organisation they worked out. */
interface EventRules {
	errors: FieldErrors;
	startsAt: string;
	endsAt: string;
	opensAt: string | null;
	closesAt: string | null;
	organisationId: string | null;
	/** The chosen format, when the form names one that exists. */
	format: EventFormat | null;
}

/**
 * The rules that need the database or a clock. They take whatever fields are fine (a form with
 * other mistakes too), so a date in the past shows beside a missing title, not after it is fixed.
 */
async function checkEventRules(
	db: Kysely<DB> | Transaction<DB>,
	actor: SessionUser | Actor,
	input: Partial<EventInput>,
	site: EventsSite,
	now: string,
	existing?: Event
): Promise<EventRules> {
	const errors: FieldErrors = {};
	const tz = site.timeZone;
	const format = input.format !== undefined ? ((await findFormat(db, input.format)) ?? null) : null;
	if (input.format !== undefined && !format) errors.format = 'Choose a format from the list';

	const start =
		input.startDate !== undefined && input.startTime !== undefined
			? localToUtc(input.startDate, input.startTime, tz)
			: undefined;
	if (start && !start.ok) {
		if (start.reason === 'nonexistent') {
			errors.startTime =
				'That time does not exist on that day, because the clocks go forward. Choose another time.';
		} else errors.startDate = 'Enter a real date, like 2027-03-14';
	}
	const endDate = input.endDate === '' ? input.startDate : input.endDate;
	const end =
		endDate !== undefined && input.endTime !== undefined
			? localToUtc(endDate, input.endTime, tz)
			: undefined;
	if (end && !end.ok) {
		if (end.reason === 'nonexistent') {
			errors.endTime =
				'That time does not exist on that day, because the clocks go forward. Choose another time.';
		} else errors.endDate = 'Enter a real date, like 2027-03-14';
	}
	const startsAt = start?.ok ? start.iso : '';
	const endsAt = end?.ok ? end.iso : '';
	if (start?.ok) {
		const moved = !existing || existing.starts_at !== startsAt;
		if (moved && startsAt <= now) errors.startDate = 'The event must start in the future';
	}
	if (start?.ok && end?.ok) {
		if (endsAt <= startsAt) errors.endTime = 'The end must be after the start';
		else if (Date.parse(endsAt) - Date.parse(startsAt) > MAX_EVENT_MS) {
			errors.endDate = 'An event can last up to 7 days. For longer, add one event for each day.';
		}
	}

	// Venue rules need to know the mode; a field that failed the schema is left out (undefined).
	const inPerson = input.mode !== undefined && input.mode !== 'online';
	if (inPerson && input.venueName === null) errors.venueName = 'Enter the name of the venue';
	if (inPerson && input.venueAddress === null) {
		errors.venueAddress = 'Enter the address, so people can find it';
	}

	let organisationId: string | null = null;
	if (input.organisation) {
		const unchanged = existing && existing.organisation_id === input.organisation;
		if (unchanged) organisationId = input.organisation;
		else {
			const membership = isPerson(actor)
				? await findMembership(db, input.organisation, actor.id)
				: undefined;
			if (canActForOrganisation(actor, membership ?? null)) organisationId = input.organisation;
			else errors.organisation = 'Choose an organisation you belong to';
		}
	}

	const capacity = input.capacity;
	const reserved = input.reservedPlaces ?? 0;
	if (capacity === null && reserved > 0) {
		errors.reservedPlaces =
			'Places can only be kept for people with lived experience when there is a limit on places. Enter the number of places first.';
	} else if (typeof capacity === 'number' && reserved > capacity) {
		errors.reservedPlaces = `The event has ${plural(capacity, 'place', 'places')} in all, so you can keep at most ${capacity} for people with lived experience`;
	}
	if (existing && typeof capacity === 'number') {
		const usage = await placeUsage(db, existing.id);
		if (capacity < usage.taken) {
			errors.capacity = `${plural(usage.taken, 'place is', 'places are')} already taken, so the limit can’t be lower than ${usage.taken}`;
		}
	}

	let opensAt: string | null = null;
	const opensKnown = input.opensDate !== undefined && input.opensTime !== undefined;
	if (opensKnown && (input.opensDate || input.opensTime)) {
		if (!input.opensDate) errors.opensDate = 'Enter the date registration opens';
		else if (!input.opensTime) errors.opensTime = 'Enter the time registration opens';
		else {
			const opens = localToUtc(input.opensDate, input.opensTime, tz);
			if (!opens.ok) errors.opensDate = 'Enter a real date and time';
			else if (start?.ok && opens.iso >= startsAt) {
				errors.opensDate = 'Registration must open before the event starts';
			} else opensAt = opens.iso;
		}
	}

	let closesAt: string | null = null;
	const closesKnown = input.closesDate !== undefined && input.closesTime !== undefined;
	if (closesKnown && (input.closesDate || input.closesTime)) {
		if (!input.closesDate) errors.closesDate = 'Enter the date registration closes';
		else if (!input.closesTime) errors.closesTime = 'Enter the time registration closes';
		else {
			const closes = localToUtc(input.closesDate, input.closesTime, tz);
			if (!closes.ok) errors.closesDate = 'Enter a real date and time';
			else if (start?.ok && closes.iso > startsAt) {
				errors.closesDate = 'Registration must close before the event starts';
			} else if (opensAt && closes.iso <= opensAt) {
				errors.closesDate = 'Registration must close after it opens';
			} else closesAt = closes.iso;
		}
	}

	return { errors, startsAt, endsAt, opensAt, closesAt, organisationId, format };
}

/** The columns an event form sets, checked against the rules that need the database or a clock. */
async function checkEvent(
	db: Kysely<DB> | Transaction<DB>,
	actor: SessionUser | Actor,
	input: EventInput,
	site: EventsSite,
	now: string,
	existing?: Event
): Promise<
	| {
			ok: true;
			row: Omit<
				NewEvent,
				'id' | 'host_id' | 'status' | 'approval' | 'created_at' | 'updated_at' | 'places_taken'
			>;
			format: EventFormat;
	  }
	| Invalid
> {
	const rules = await checkEventRules(db, actor, input, site, now, existing);
	const { errors, startsAt, endsAt, opensAt, closesAt, organisationId, format } = rules;
	// (A form that passed the schema names a format; `format` is null only beside its error.)
	if (Object.keys(errors).length || !format) {
		return { ok: false, reason: 'invalid', errors: allErrors(eventSchema, {}, errors) };
	}
	const inPerson = input.mode !== 'online';
	const capacity = input.capacity;
	const reserved = input.reservedPlaces ?? 0;
	const features = new Set(inPerson ? input.accessFeatures : []);
	return {
		ok: true,
		row: {
			title: input.title,
			format_id: input.format,
			description: input.description,
			summary: markdownExcerpt(input.description, SUMMARY_LENGTH),
			starts_at: startsAt,
			ends_at: endsAt,
			time_band: timeBand(startsAt, site.timeZone),
			mode: input.mode,
			venue_name: inPerson ? input.venueName : null,
			venue_address: inPerson ? input.venueAddress : null,
			access_notes: inPerson ? input.accessNotes : null,
			...(Object.fromEntries(
				ACCESS_FEATURES.map((f) => [`access_${f}`, features.has(f) ? 1 : 0])
			) as Record<`access_${AccessFeature}`, number>),
			online_url: input.mode === 'in_person' ? null : input.onlineUrl,
			organisation_id: organisationId,
			capacity,
			reserved_places: capacity === null ? 0 : reserved,
			registration_opens_at: opensAt,
			registration_closes_at: closesAt,
			visibility: input.visibility
		},
		format
	};
}

function parseEventForm(values: FormValues) {
	return parseForm(eventSchema, toFormData(values), { listFields: EVENT_LIST_FIELDS });
}

/**
 * Every message for a form that failed the schema: its own, and the rules' (dates, places)
 * run on the fields that are fine, so nothing waits for a second try to show.
 */
async function everyError(
	db: Kysely<DB> | Transaction<DB>,
	actor: SessionUser | Actor,
	parsed: Extract<ReturnType<typeof parseEventForm>, { ok: false }>,
	site: EventsSite,
	now: string,
	existing?: Event
): Promise<FieldErrors> {
	const rules = await checkEventRules(db, actor, parsed.partial, site, now, existing);
	return allErrors(eventSchema, parsed.errors, rules.errors);
}

/** Whether a member's new event must wait for a curator. */
async function needsApproval(
	db: Kysely<DB> | Transaction<DB>,
	host: SessionUser
): Promise<boolean> {
	if (isCurator(host)) return false;
	if ((await readSetting(db, APPROVE_FIRST_EVENT_SETTING)) === 'off') return false;
	return !(await hasApprovedEvent(db, host.id));
}

/** A member hosts a new event. Their first one may wait for a curator's approval. */
export async function createEvent(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	values: FormValues,
	now = nowIso(),
	coverField?: PictureField
): Promise<
	| { ok: true; event: Event }
	| Invalid
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
> {
	assertCan(canHostEvent(actor), 'Sign in to host an event.');
	const host = actor;
	const parsed = parseEventForm(values);
	const cover = await readCover(coverField, values, false);
	if (!parsed.ok || Object.keys(cover.errors).length) {
		const errors = {
			...(parsed.ok ? {} : await everyError(db, host, parsed, site, now)),
			...cover.errors
		};
		return { ok: false, reason: 'invalid', errors };
	}
	const limited = await consumeRateLimit(
		db,
		`event-create:${host.id}`,
		{ limit: EVENTS_PER_DAY, windowSeconds: 24 * 60 * 60 },
		new Date(now)
	);
	if (!limited.ok) {
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	}
	const pictures = await stagePicture(coverField?.store, cover.picture);
	const created = changeContent(db, async (trx) => {
		const checked = await checkEvent(trx, host, parsed.data, site, now);
		if (!checked.ok) return checked;
		const pending = await needsApproval(trx, host);
		const id = newId();
		const coverId = pictures.newId ? await pictures.save(trx) : null;
		await insertEventRow(trx, {
			id,
			...checked.row,
			cover_image_id: coverId,
			cover_alt: coverId ? cover.alt : null,
			host_id: host.id,
			status: 'scheduled',
			approval: pending ? 'pending' : 'approved',
			places_taken: 0,
			created_at: now,
			updated_at: now
		});
		const event = (await findEventRow(trx, id))!;
		// A new event has no talks yet: only its own document (none while it waits for approval),
		// written from the row in hand rather than read back.
		await indexNewEvent(trx, event, checked.format);
		if (pending) {
			const mailEvent = (await findMailEvent(trx, id))!;
			for (const curator of await listCurators(trx)) {
				await enqueueMail(trx, awaitingApprovalMail(site, curator, mailEvent));
			}
		}
		return { ok: true as const, event };
	});
	return pictures.settle(created);
}

/** The event's current values, as its edit form shows them. */
export function eventFormValues(event: Event, timeZone: string): FormValues {
	const start = utcToLocal(event.starts_at, timeZone);
	const end = utcToLocal(event.ends_at, timeZone);
	const closes = event.registration_closes_at
		? utcToLocal(event.registration_closes_at, timeZone)
		: null;
	const opens = event.registration_opens_at
		? utcToLocal(event.registration_opens_at, timeZone)
		: null;
	return {
		title: event.title,
		format: event.format_id,
		description: event.description,
		startDate: start.date,
		startTime: start.time,
		endDate: end.date === start.date ? '' : end.date,
		endTime: end.time,
		mode: event.mode,
		venueName: event.venue_name ?? '',
		venueAddress: event.venue_address ?? '',
		accessFeatures: ACCESS_FEATURES.filter((f) => event[`access_${f}`] === 1),
		accessNotes: event.access_notes ?? '',
		onlineUrl: event.online_url ?? '',
		organisation: event.organisation_id ?? '',
		capacity: event.capacity === null ? '' : String(event.capacity),
		reservedPlaces: event.reserved_places ? String(event.reserved_places) : '',
		opensDate: opens?.date ?? '',
		opensTime: opens?.time ?? '',
		closesDate: closes?.date ?? '',
		closesTime: closes?.time ?? '',
		visibility: event.visibility,
		coverAlt: event.cover_alt ?? ''
	};
}

/** The event's cover picture, for its page and its edit form. */
export async function eventCover(
	db: Kysely<DB>,
	event: Pick<Event, 'cover_image_id' | 'cover_alt'>
): Promise<Picture | null> {
	if (!event.cover_image_id) return null;
	return toPicture(await findImage(db, event.cover_image_id), event.cover_alt ?? '');
}

/** The event for its edit form; undefined when missing or when the actor may not manage it. */
export async function getEventForManaging(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string
): Promise<Event | undefined> {
	const event = await findEventRow(db, eventId);
	if (!event) return undefined;
	const standing = await standingOf(db, actor, event);
	assertCan(standing.manage, 'Only the host, its organisation’s admins and curators can do that.');
	return event;
}

/** What changed that people with a place must hear about (time or place). */
function describeChanges(before: Event, after: Event, timeZone: string): string[] {
	const changes: string[] = [];
	if (before.starts_at !== after.starts_at || before.ends_at !== after.ends_at) {
		changes.push(`It is now on ${formatEventWhen(after.starts_at, after.ends_at, timeZone)}.`);
	}
	if (before.mode !== after.mode) changes.push('It has changed between in person and online.');
	if (before.venue_name !== after.venue_name || before.venue_address !== after.venue_address) {
		if (after.venue_name || after.venue_address) {
			changes.push(
				`It is now at ${[after.venue_name, after.venue_address].filter(Boolean).join(', ')}.`
			);
		}
	}
	if (before.online_url !== after.online_url && after.online_url) {
		changes.push('The online link has changed.');
	}
	return changes;
}

/**
 * Edits an event. Everyone with a place (or waiting for one) is told when its time or place
 * changes; more places offer themselves to the waitlist.
 */
export async function updateEvent(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso(),
	coverField?: PictureField
): Promise<{ ok: true; event: Event; told: number } | Invalid | NotFound> {
	const parsed = parseEventForm(values);
	let cover: CoverPlan | undefined;
	if (coverField) {
		// Checked before the picture is opened, and again under the row's lock below.
		const current = await findEventRow(db, eventId);
		if (!current) return { ok: false as const, reason: 'not_found' as const };
		assertCan((await standingOf(db, actor, current)).manage, EDIT_REFUSAL);
		cover = await readCover(coverField, values, current.cover_image_id !== null);
	}
	const coverErrors = cover?.errors ?? {};
	const pictures = await stagePicture(coverField?.store, cover?.picture);
	const updated = changeContent(db, async (trx) => {
		const before = await lockEventRow(trx, eventId);
		if (!before) return { ok: false as const, reason: 'not_found' as const };
		const standing = await standingOf(trx, actor, before);
		assertCan(standing.manage, EDIT_REFUSAL);
		if (!parsed.ok || Object.keys(coverErrors).length) {
			const errors = {
				...(parsed.ok
					? {}
					: await everyError(trx, actor ?? { system: true }, parsed, site, now, before)),
				...coverErrors
			};
			return { ok: false as const, reason: 'invalid' as const, errors };
		}
		if (before.status === 'cancelled') {
			return {
				ok: false as const,
				reason: 'invalid' as const,
				errors: { form: 'This event is cancelled, so it can’t be changed.' }
			};
		}
		const checked = await checkEvent(
			trx,
			actor ?? { system: true },
			parsed.data,
			site,
			now,
			before
		);
		if (!checked.ok) return checked;
		await trx
			.updateTable('event')
			.set({
				...checked.row,
				...(await coverColumns(trx, cover, pictures, before)),
				updated_at: now
			})
			.where('id', '=', eventId)
			.execute();
		const after = (await findEventRow(trx, eventId))!;
		await refreshEventSearch(trx, eventId);
		const changes = describeChanges(before, after, site.timeZone);
		let told = 0;
		if (changes.length) {
			const mailEvent = (await findMailEvent(trx, eventId))!;
			for (const who of await listRegistrants(trx, eventId, [
				'confirmed',
				'offered',
				'waitlisted'
			])) {
				await enqueueMail(trx, eventChangedMail(site, who, mailEvent, changes));
				if (who.userId) {
					await notify(trx, {
						recipientId: who.userId,
						kind: 'event-changed',
						subjectKey: `event:${eventId}`,
						title: `“${after.title}” has changed: ${changes.join(' ')}`,
						url: eventPath(eventId),
						actorId: isPerson(actor) ? actor.id : null
					});
				}
				told++;
			}
		}
		const capacityGrew =
			after.capacity === null
				? before.capacity !== null
				: before.capacity !== null && after.capacity > before.capacity;
		if (capacityGrew || after.reserved_places !== before.reserved_places) {
			await offerFreedPlaces(trx, site, eventId, now);
		}
		return { ok: true as const, event: after, told };
	});
	return pictures.settle(updated);
}

const EDIT_REFUSAL = 'Only the host, its organisation’s admins and curators can edit it.';

/** The cover columns an edit sets: a new cover (the old one retired), none, or a new description. */
async function coverColumns(
	trx: Transaction<DB>,
	cover: CoverPlan | undefined,
	pictures: PictureChange,
	before: Event
): Promise<Pick<NewEvent, 'cover_image_id' | 'cover_alt'>> {
	if (!cover) return {};
	if (!cover.picture && !cover.remove) {
		return { cover_alt: before.cover_image_id ? cover.alt : null };
	}
	const coverId = cover.picture ? await pictures.save(trx) : null;
	await pictures.retire(trx, before.cover_image_id);
	return { cover_image_id: coverId, cover_alt: coverId ? cover.alt : null };
}

/** Cancels an event: everyone with a place or on the waitlist is told why. */
export async function cancelEvent(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true; told: number } | Invalid | NotFound> {
	const parsed = cancelEventSchema.safeParse(values);
	return changeContent(db, async (trx) => {
		const event = await lockEventRow(trx, eventId);
		if (!event) return { ok: false as const, reason: 'not_found' as const };
		const standing = await standingOf(trx, actor, event);
		assertCan(
			standing.manage,
			'Only the host, its organisation’s admins and curators can cancel it.'
		);
		if (!parsed.success) {
			return { ok: false as const, reason: 'invalid' as const, errors: fieldErrors(parsed.error) };
		}
		if (event.status === 'cancelled') return { ok: true as const, told: 0 };
		if (event.ends_at <= now) {
			return {
				ok: false as const,
				reason: 'invalid' as const,
				errors: { reason: 'This event has already happened, so it can’t be cancelled.' }
			};
		}
		const people = await listRegistrants(trx, eventId, ['confirmed', 'offered', 'waitlisted']);
		await trx
			.updateTable('event')
			.set({
				status: 'cancelled',
				cancelled_at: now,
				cancel_reason: parsed.data.reason,
				updated_at: now
			})
			.where('id', '=', eventId)
			.execute();
		const mailEvent = (await findMailEvent(trx, eventId))!;
		for (const who of people) {
			await enqueueMail(trx, eventCancelledMail(site, who, mailEvent, parsed.data.reason));
			if (who.userId) {
				await notify(trx, {
					recipientId: who.userId,
					kind: 'event-cancelled',
					subjectKey: `event:${eventId}`,
					title: `“${event.title}” is cancelled`,
					url: eventPath(eventId),
					actorId: isPerson(actor) ? actor.id : null
				});
			}
		}
		// Offers and the waitlist end with the event; confirmed places stay, as a record.
		await trx
			.updateTable('event_registration')
			.set({ status: 'cancelled', cancelled_at: now, offer_expires_at: null, updated_at: now })
			.where('event_id', '=', eventId)
			.where('status', 'in', ['offered', 'waitlisted', 'unconfirmed'])
			.execute();
		const usage = await placeUsage(trx, eventId);
		await trx
			.updateTable('event')
			.set({ places_taken: usage.taken })
			.where('id', '=', eventId)
			.execute();
		await refreshEventSearch(trx, eventId);
		return { ok: true as const, told: people.length };
	});
}

/** The host writes to everyone with a place. */
export async function messageAttendees(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<
	| { ok: true; told: number }
	| Invalid
	| NotFound
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
> {
	const parsed = messageSchema.safeParse(values);
	if (parsed.success && isPerson(actor)) {
		const limited = await consumeRateLimit(
			db,
			`event-message:${eventId}:${actor.id}`,
			{ limit: HOST_MESSAGES_PER_DAY, windowSeconds: 24 * 60 * 60 },
			new Date(now)
		);
		if (!limited.ok)
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	}
	return changeContent(db, async (trx) => {
		const event = await lockEventRow(trx, eventId);
		if (!event) return { ok: false as const, reason: 'not_found' as const };
		const standing = await standingOf(trx, actor, event);
		assertCan(
			standing.manage,
			'Only the host, its organisation’s admins and curators can do that.'
		);
		if (!parsed.success) {
			return { ok: false as const, reason: 'invalid' as const, errors: fieldErrors(parsed.error) };
		}
		const people = await listRegistrants(trx, eventId, ['confirmed', 'offered']);
		const mailEvent = (await findMailEvent(trx, eventId))!;
		const from = isPerson(actor) ? actor.name : site.siteName;
		for (const who of people) {
			await enqueueMail(trx, hostMessageMail(site, who, mailEvent, { ...parsed.data, from }));
		}
		return { ok: true as const, told: people.length };
	});
}

/** Curators approve a member's first event; the host is told it is published. */
export async function approveEvent(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	eventId: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound> {
	assertCan(canApproveEvents(actor), 'Only curators can approve events.');
	return changeContent(db, async (trx) => {
		const event = await lockEventRow(trx, eventId);
		if (!event) return { ok: false as const, reason: 'not_found' as const };
		if (event.approval === 'approved') return { ok: true as const };
		await trx
			.updateTable('event')
			.set({
				approval: 'approved',
				approved_by: isPerson(actor) ? actor.id : null,
				updated_at: now
			})
			.where('id', '=', eventId)
			.execute();
		await refreshEventSearch(trx, eventId);
		const host = event.host_id
			? await trx
					.selectFrom('app_user')
					.select(['id', 'name', 'email'])
					.where('id', '=', event.host_id)
					.executeTakeFirst()
			: undefined;
		if (host)
			await enqueueMail(trx, approvedMail(site, host, (await findMailEvent(trx, eventId))!));
		return { ok: true as const };
	});
}

/**
 * The form for a copy of an event, everything but its dates (hosts run the same session again).
 * Undefined when the event is missing or the actor may not manage it.
 */
export async function duplicateEventValues(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	timeZone: string
): Promise<{ id: string; title: string; values: FormValues } | undefined> {
	const event = await findEventRow(db, eventId);
	if (!event) return undefined;
	if (!(await standingOf(db, actor, event)).manage) return undefined;
	const values = eventFormValues(event, timeZone);
	for (const field of [
		'startDate',
		'endDate',
		'opensDate',
		'opensTime',
		'closesDate',
		'closesTime'
	]) {
		values[field] = '';
	}
	return { id: event.id, title: event.title, values };
}

/** What a host writes after the event. */
export const recordSchema = z.object({
	summary: z
		.string({ error: 'Say what happened' })
		.trim()
		.min(1, 'Say what happened')
		.max(EVENT_DESCRIPTION_MAX, 'Keep it to 10,000 characters or fewer'),
	attendance: wholeNumber({
		label: 'The number of people who came',
		min: 0,
		max: 100_000,
		empty: null,
		emptyHint: 'or leave it empty'
	}),
	outcomes: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim())
		.pipe(z.string().max(5_000, 'Keep the outcomes to 5,000 characters or fewer'))
		.transform((v) => v || null),
	links: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.split(/\s+/).filter(Boolean))
		.pipe(z.array(websiteField.pipe(z.string())).max(10, 'Add up to 10 links'))
		.transform((v) => (v.length ? v.join('\n') : null))
});

/**
 * Afterwards, the host writes a short record: what happened, how many came, outcomes, links.
 * The event then shows in the past-events archive with it.
 */
export async function writeRecord(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | NotFound> {
	const parsed = recordSchema.safeParse(values);
	return changeContent(db, async (trx) => {
		const event = await lockEventRow(trx, eventId);
		if (!event) return { ok: false as const, reason: 'not_found' as const };
		assertCan(
			(await standingOf(trx, actor, event)).manage,
			'Only the host, its organisation’s admins and curators can write the record.'
		);
		if (event.status === 'cancelled' || event.starts_at > now) {
			return {
				ok: false as const,
				reason: 'invalid' as const,
				errors: { form: 'You can write the record once the event has started.' }
			};
		}
		if (!parsed.success) {
			return { ok: false as const, reason: 'invalid' as const, errors: fieldErrors(parsed.error) };
		}
		await trx
			.updateTable('event')
			.set({
				record_summary: parsed.data.summary,
				record_attendance: parsed.data.attendance,
				record_outcomes: parsed.data.outcomes,
				record_links: parsed.data.links,
				recorded_at: now,
				status: 'completed',
				updated_at: now
			})
			.where('id', '=', eventId)
			.execute();
		await refreshEventSearch(trx, eventId);
		return { ok: true as const };
	});
}

/** The record form's current values. */
export function recordFormValues(event: Event): FormValues {
	return {
		summary: event.record_summary ?? '',
		attendance: event.record_attendance === null ? '' : String(event.record_attendance),
		outcomes: event.record_outcomes ?? '',
		links: event.record_links ?? ''
	};
}

/**
 * The public events a person hosted or hosts (approved, not cancelled), latest first: what a
 * champion's page shows they took part in. Each with its page's address.
 */
export async function publicEventsHostedBy(
	db: Kysely<DB>,
	personId: string,
	limit: number
): Promise<Array<{ id: string; title: string; startsAt: string; url: string }>> {
	const rows = await listPublicEventsHostedBy(db, personId, limit);
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		startsAt: r.starts_at,
		url: `/events/${r.id}`
	}));
}
