import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import { plural } from '$lib/plural';
import { eventIcs, icsFilename } from './event-calendar';
import { formatDeadline, formatEventWhen, formatDate, formatTime } from './event-time';
import { calendarEventOf, type CalendarSource } from './events.ics';
import { absoluteUrl, eventPath, registrationPath, type EventsSite } from './events.links';

/** The event as every mail describes it. */
export type MailEvent = CalendarSource & { online_url: string | null };

/** Who a mail about a registration goes to. */
export interface Registrant {
	registrationId: string;
	name: string;
	email: string;
	/** Their account, when they registered as a member. */
	userId: string | null;
}

function where(event: MailEvent): string {
	const place = [event.venue_name, event.venue_address].filter(Boolean).join(', ');
	if (event.mode === 'online') return 'Online';
	if (event.mode === 'hybrid') return `${place}, or online`;
	return place;
}

function details(site: EventsSite, event: MailEvent, withLink: boolean): string[] {
	const lines = [
		`${event.title}`,
		`When: ${formatEventWhen(event.starts_at, event.ends_at, site.timeZone)}`,
		`Where: ${where(event)}`
	];
	if (withLink && event.mode !== 'in_person') {
		lines.push(
			event.online_url
				? `Online link: ${event.online_url}`
				: 'Online link: the host will add it to the event page before the day.'
		);
	}
	return lines;
}

function placeUrl(site: EventsSite, who: Registrant): string {
	return absoluteUrl(site, registrationPath(site.linkSecret, who.registrationId));
}

function mail(
	site: EventsSite,
	who: Registrant,
	subject: string,
	kind: string,
	content: Omit<Parameters<typeof renderMail>[0], 'siteName' | 'greeting'>
): OutgoingMail {
	return {
		to: who.email,
		subject,
		...renderMail({ siteName: site.siteName, greeting: `Hello ${who.name},`, ...content }),
		kind,
		userId: who.userId
	};
}

function icsAttachment(site: EventsSite, event: MailEvent) {
	return {
		filename: icsFilename(event.title),
		contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
		content: eventIcs(calendarEventOf(event, site), {
			siteName: site.siteName,
			origin: site.origin
		})
	};
}

/** "You have a place", with the event in an .ics file for their calendar. */
export function placeConfirmedMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent
): OutgoingMail {
	return {
		...mail(site, who, `Your place at ${event.title}`, 'events.place-confirmed', {
			paragraphs: [
				'You have a place. We look forward to seeing you.',
				details(site, event, true).join('\n'),
				'The attached file adds the event to your calendar. We will remind you the day before, and an hour before.'
			],
			action: { label: 'See your place, or cancel it', url: placeUrl(site, who) },
			footnotes: ['If you can no longer come, please cancel, so someone else can have the place.']
		}),
		attachments: [icsAttachment(site, event)]
	};
}

export function waitlistedMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	position: number
): OutgoingMail {
	return mail(site, who, `You are on the waitlist for ${event.title}`, 'events.waitlisted', {
		paragraphs: [
			`${event.title} is full, so you are on the waitlist. You are number ${position}.`,
			details(site, event, false).join('\n'),
			'If a place frees up, we will email you. You then have a limited time to take it.'
		],
		action: { label: 'See where you are, or leave the waitlist', url: placeUrl(site, who) }
	});
}

/** A visitor without an account confirms their email address before anything is held. */
export function confirmRegistrationMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent
): OutgoingMail {
	return mail(site, who, `Confirm your place at ${event.title}`, 'events.confirm-registration', {
		paragraphs: [
			`You asked for a place at ${event.title}. Please confirm it, so we know this is your email address.`,
			details(site, event, false).join('\n')
		],
		action: { label: 'Confirm your place', url: placeUrl(site, who) },
		footnotes: [
			'Until you confirm, no place is held for you. This link works until the event starts.',
			'If you did not ask for this, you can ignore this email. Nothing will happen.'
		]
	});
}

/** Someone asked again with an address that already has a registration. */
export function alreadyRegisteredMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent
): OutgoingMail {
	return mail(site, who, `Your registration for ${event.title}`, 'events.already-registered', {
		paragraphs: [
			`Someone (probably you) asked for a place at ${event.title} with this email address. You have already registered, so nothing has changed.`
		],
		action: { label: 'See your registration', url: placeUrl(site, who) },
		footnotes: ['If this was not you, you can ignore this email.']
	});
}

export function placeOfferedMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	expiresAt: string
): OutgoingMail {
	const until = formatDeadline(expiresAt, site.timeZone);
	return mail(site, who, `A place is free at ${event.title}`, 'events.place-offered', {
		paragraphs: [
			`Good news: a place has come up at ${event.title}, and it is yours if you want it.`,
			details(site, event, false).join('\n'),
			`Please take it by ${until}. After that, we offer it to the next person on the waitlist.`
		],
		action: { label: 'Take the place', url: placeUrl(site, who) },
		footnotes: ['If you cannot come, you can say no on the same page. That helps the next person.']
	});
}

export function offerExpiredMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent
): OutgoingMail {
	return mail(site, who, `The place at ${event.title} has passed on`, 'events.offer-expired', {
		paragraphs: [
			`We offered you a place at ${event.title}, but it was not taken in time, so it has gone to the next person on the waitlist.`,
			'You can register again from the event page if you would still like to come.'
		],
		action: { label: 'Go to the event', url: absoluteUrl(site, eventPath(event.id)) }
	});
}

export function registrationCancelledMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	held: boolean
): OutgoingMail {
	return mail(site, who, `You have cancelled: ${event.title}`, 'events.registration-cancelled', {
		paragraphs: [
			held
				? `Your place at ${event.title} is cancelled. Thank you for letting us know: it can now go to someone else.`
				: `You have left the waitlist for ${event.title}.`
		],
		action: { label: 'Go to the event', url: absoluteUrl(site, eventPath(event.id)) },
		footnotes: ['If this was a mistake, you can register again from the event page.']
	});
}

export function eventCancelledMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	reason: string
): OutgoingMail {
	return mail(site, who, `Cancelled: ${event.title}`, 'events.event-cancelled', {
		paragraphs: [
			`We are sorry: ${event.title} has been cancelled. It was due on ${formatEventWhen(event.starts_at, event.ends_at, site.timeZone)}.`,
			`The host says: ${reason}`,
			'You do not need to do anything. If you added it to your calendar, you can remove it.'
		],
		action: { label: 'See other events', url: absoluteUrl(site, '/events') }
	});
}

export function eventChangedMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	changes: string[]
): OutgoingMail {
	return {
		...mail(site, who, `Changed: ${event.title}`, 'events.event-changed', {
			paragraphs: [
				`The host has changed ${event.title}:`,
				changes.map((c) => `- ${c}`).join('\n'),
				'Here are the details now:',
				details(site, event, true).join('\n'),
				'The attached file updates your calendar.'
			],
			action: { label: 'See your place, or cancel it', url: placeUrl(site, who) }
		}),
		attachments: [icsAttachment(site, event)]
	};
}

export function hostMessageMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	message: { subject: string; body: string; from: string }
): OutgoingMail {
	return {
		...mail(site, who, `${message.subject} (${event.title})`, 'events.host-message', {
			paragraphs: [
				`${message.from}, the host of ${event.title}, sent this message to everyone with a place:`,
				message.body
			],
			action: { label: 'See your place', url: placeUrl(site, who) },
			footnotes: ['Replies to this email do not reach the host.']
		}),
		// The subject line is the host's own words: once sent, only what it was is kept.
		keptSubject: `A message from the host of ${event.title}`
	};
}

/**
 * A reminder, worded from the time left: "in 45 minutes", "today at 6pm" or "tomorrow at 6pm".
 * Reminders go the day before and an hour before; an event added late gets just one.
 */
export function reminderMail(
	site: EventsSite,
	who: Registrant,
	event: MailEvent,
	now: string
): OutgoingMail {
	const minutesLeft = Math.round((Date.parse(event.starts_at) - Date.parse(now)) / 60_000);
	const at = formatTime(event.starts_at, site.timeZone);
	const today = formatDate(now, site.timeZone) === formatDate(event.starts_at, site.timeZone);
	const soon =
		minutesLeft <= 90
			? `in ${plural(minutesLeft, 'minute', 'minutes')}`
			: today
				? `today at ${at}`
				: `tomorrow at ${at}`;
	return mail(
		site,
		who,
		`Reminder: ${event.title} is ${soon}`,
		`events.reminder-${minutesLeft <= 90 ? 'hour' : 'day'}`,
		{
			paragraphs: [
				`${event.title} is ${soon}. Here are the details:`,
				details(site, event, true).join('\n')
			],
			action: { label: 'See your place, or cancel it', url: placeUrl(site, who) },
			footnotes: ['If you can no longer come, please cancel, so someone else can have the place.']
		}
	);
}

export function awaitingApprovalMail(
	site: EventsSite,
	curator: { id: string; name: string; email: string },
	event: MailEvent
): OutgoingMail {
	return {
		to: curator.email,
		subject: `An event is waiting for approval: ${event.title}`,
		...renderMail({
			siteName: site.siteName,
			greeting: `Hello ${curator.name},`,
			paragraphs: [
				`${event.host_name ?? 'A member'} has added their first event, ${event.title}. It appears on ${site.siteName} once a curator approves it.`
			],
			action: {
				label: 'See events waiting for approval',
				url: absoluteUrl(site, '/events/approvals')
			}
		}),
		kind: 'events.awaiting-approval',
		userId: curator.id
	};
}

export function approvedMail(
	site: EventsSite,
	host: { id: string; name: string; email: string },
	event: MailEvent
): OutgoingMail {
	return {
		to: host.email,
		subject: `Your event is published: ${event.title}`,
		...renderMail({
			siteName: site.siteName,
			greeting: `Hello ${host.name},`,
			paragraphs: [
				`A curator has approved ${event.title}. People can now find it and register.`,
				'Your next events are published straight away.'
			],
			action: { label: 'Go to your event', url: absoluteUrl(site, eventPath(event.id)) }
		}),
		kind: 'events.approved',
		userId: host.id
	};
}
