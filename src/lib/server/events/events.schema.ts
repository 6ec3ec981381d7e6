import { z } from 'zod';
import { FORMAT_COLOURS, FORMAT_ICONS } from '$lib/events/format-looks';
import { websiteField } from '../organisations/organisations.schema';
import { wholeNumber } from '../forms';
import {
	ACCESS_FEATURES,
	ACCESS_NEEDS,
	EVENT_MODES,
	EVENT_VISIBILITIES,
	EVENT_TOOLS
} from './events.tables';

export const EVENT_TITLE_MAX = 150;
export const EVENT_DESCRIPTION_MAX = 10_000;
export const VENUE_NAME_MAX = 150;
export const VENUE_ADDRESS_MAX = 300;
export const ACCESS_NOTES_MAX = 1_000;
export const CAPACITY_MAX = 10_000;
export const NEED_DETAILS_MAX = 500;
export const VISITOR_NAME_MAX = 100;
export const MESSAGE_SUBJECT_MAX = 150;
export const MESSAGE_BODY_MAX = 5_000;
export const CANCEL_REASON_MAX = 1_000;

const text = (label: string, max: number, required: string) =>
	z
		.string({ error: required })
		.trim()
		.min(1, required)
		.max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

const optionalText = (label: string, max: number) =>
	z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim())
		.pipe(
			z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
		)
		.transform((v) => v || null);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{1,2}:\d{2}$/;

const dateField = (required: string) =>
	z.string({ error: required }).trim().min(1, required).regex(DATE, 'Enter a date like 2027-03-14');
const optionalDate = z
	.string()
	.optional()
	.default('')
	.transform((v) => v.trim())
	.pipe(z.union([z.literal(''), z.string().regex(DATE, 'Enter a date like 2027-03-14')]));
const timeField = (required: string) =>
	z.string({ error: required }).trim().min(1, required).regex(TIME, 'Enter a time like 18:30');
const optionalTime = z
	.string()
	.optional()
	.default('')
	.transform((v) => v.trim())
	.pipe(z.union([z.literal(''), z.string().regex(TIME, 'Enter a time like 18:30')]));

/** The host's form for a new event, and for editing one. */
export const eventSchema = z.object({
	title: text('Title', EVENT_TITLE_MAX, 'Enter a title for the event'),
	format: z.string({ error: 'Choose a format' }).trim().min(1, 'Choose a format').max(64),
	description: text('Description', EVENT_DESCRIPTION_MAX, 'Say what will happen and who it is for'),
	startDate: dateField('Enter the date of the event'),
	startTime: timeField('Enter the start time'),
	endDate: optionalDate,
	endTime: timeField('Enter the end time'),
	mode: z.enum(EVENT_MODES, { error: 'Choose in person, online, or both' }),
	venueName: optionalText('Venue name', VENUE_NAME_MAX),
	venueAddress: optionalText('Address', VENUE_ADDRESS_MAX),
	accessFeatures: z.array(z.enum(ACCESS_FEATURES, { error: 'Choose from the list' })).default([]),
	accessNotes: optionalText('Access information', ACCESS_NOTES_MAX),
	onlineUrl: z.string().optional().default('').pipe(websiteField),
	organisation: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim() || null),
	capacity: wholeNumber({
		label: 'Number of places',
		min: 1,
		max: CAPACITY_MAX,
		empty: null,
		emptyHint: 'or leave it empty for no limit'
	}),
	reservedPlaces: wholeNumber({
		label: 'Places kept for people with lived experience',
		min: 0,
		max: CAPACITY_MAX,
		empty: null,
		emptyHint: 'or leave it empty to keep none'
	}),
	opensDate: optionalDate,
	opensTime: optionalTime,
	closesDate: optionalDate,
	closesTime: optionalTime,
	visibility: z.enum(EVENT_VISIBILITIES, { error: 'Choose who can find the event' })
});
export type EventInput = z.output<typeof eventSchema>;
export const EVENT_LIST_FIELDS = ['accessFeatures'] as const;

/** What someone tells the host when they register. */
export const registrationSchema = z.object({
	needs: z.array(z.enum(ACCESS_NEEDS, { error: 'Choose from the list' })).default([]),
	needDetails: optionalText('Details', NEED_DETAILS_MAX),
	livedExperience: z
		.string()
		.optional()
		.transform((v) => v === 'yes')
});
export type RegistrationInput = z.output<typeof registrationSchema>;
export const REGISTRATION_LIST_FIELDS = ['needs'] as const;

/** A visitor without an account also gives a name and an email address. */
export const visitorRegistrationSchema = registrationSchema.extend({
	name: text('Name', VISITOR_NAME_MAX, 'Enter your name'),
	email: z
		.string({ error: 'Enter your email address' })
		.trim()
		.min(1, 'Enter your email address')
		.max(254, 'Email address must be 254 characters or fewer')
		.pipe(z.email('Enter an email address in the right format, like name@example.com'))
		.transform((value) => value.toLowerCase())
});
export type VisitorRegistrationInput = z.output<typeof visitorRegistrationSchema>;

export const cancelEventSchema = z.object({
	reason: text('Reason', CANCEL_REASON_MAX, 'Tell people why the event is cancelled')
});

export const messageSchema = z.object({
	subject: text('Subject', MESSAGE_SUBJECT_MAX, 'Enter a subject'),
	body: text('Message', MESSAGE_BODY_MAX, 'Enter your message')
});

export const formatSchema = z.object({
	name: text('Name', 60, 'Enter a name for the format'),
	description: text('Description', 500, 'Say what happens at this kind of event'),
	tools: z.enum(EVENT_TOOLS, { error: 'Choose which tools it uses' }),
	// Optional: a form that leaves them out (or an older one) keeps the format's look as it is.
	colour: z.enum(FORMAT_COLOURS, { error: 'Choose a colour from the list' }).optional(),
	icon: z.enum(FORMAT_ICONS, { error: 'Choose an icon from the list' }).optional()
});
export type FormatInput = z.output<typeof formatSchema>;
