import { z } from 'zod';

export const HELP_WITH_MAX = 1_000;
export const REQUEST_MAX = 2_000;
export const MESSAGE_MAX = 2_000;
export const NOTE_MAX = 1_000;
export const PHONE_MAX = 40;

export const AVAILABILITY = ['breakfast', 'lunch', 'evening', 'online'] as const;
export type Availability = (typeof AVAILABILITY)[number];
export { AVAILABILITY_LABELS } from '$lib/champions';

export const CONTACT_BY = ['colab', 'email', 'phone'] as const;
export const CONTACT_BY_LABELS: Record<(typeof CONTACT_BY)[number], string> = {
	colab: 'Through CoLab only',
	email: 'By email',
	phone: 'By phone'
};

export const OUTCOMES = ['yes', 'partly', 'no'] as const;
export const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
	yes: 'Yes, it helped',
	partly: 'It partly helped',
	no: 'No, it did not help'
};

const tooLong = (what: string, max: number) =>
	`${what} must be ${max.toLocaleString('en-GB')} characters or fewer. Shorten it and send it again.`;

const ids = z.array(z.string().max(200, 'Choose from the list')).max(100, 'Choose fewer');

/** Volunteering as a champion, or changing what one offers. `website` is the honeypot. */
export const volunteerSchema = z
	.object({
		serviceAreas: ids.min(1, 'Choose at least one service area you know'),
		dimensions: ids.min(1, 'Choose at least one part of co-production you know'),
		barriers: ids,
		helpWith: z
			.string()
			.trim()
			.min(1, 'Say what you can help with')
			.max(HELP_WITH_MAX, tooLong('What you can help with', HELP_WITH_MAX)),
		availability: z
			.array(z.enum(AVAILABILITY, 'Choose from the list'))
			.min(1, 'Choose at least one time you are available'),
		contactBy: z.enum(CONTACT_BY, 'Choose how you prefer to be contacted'),
		phone: z
			.string()
			.trim()
			.max(PHONE_MAX, tooLong('A phone number', PHONE_MAX))
			.regex(/^[0-9+() -]*$/, 'Write the phone number with digits, spaces and + only'),
		website: z.string().max(500).default('')
	})
	.refine((v) => v.contactBy !== 'phone' || v.phone.length > 0, {
		path: ['phone'],
		message: 'Give a phone number, or choose another way to be contacted'
	});
export type VolunteerInput = z.output<typeof volunteerSchema>;
export const VOLUNTEER_LIST_FIELDS = ['serviceAreas', 'dimensions', 'barriers', 'availability'];

/** A member asks a champion. */
export const askSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write what you need help with')
		.max(REQUEST_MAX, tooLong('Your request', REQUEST_MAX)),
	serviceArea: z.string().max(200).default(''),
	website: z.string().max(500).default('')
});
export type AskInput = z.output<typeof askSchema>;

export const messageSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write your message before sending it')
		.max(MESSAGE_MAX, tooLong('A message', MESSAGE_MAX))
});

export const declineSchema = z.object({
	declineNote: z
		.string()
		.trim()
		.min(1, 'Say why, so the person can look elsewhere')
		.max(NOTE_MAX, tooLong('The note', NOTE_MAX))
});

export const suggestSchema = z.object({
	championId: z
		.string()
		.min(1, 'Choose a champion to pass this to')
		.max(40, 'Choose from the list'),
	suggestNote: z.string().trim().max(NOTE_MAX, tooLong('The note', NOTE_MAX)).default('')
});

export const closeSchema = z.object({
	outcome: z.enum(OUTCOMES, 'Say whether it helped'),
	closeNote: z.string().trim().max(NOTE_MAX, tooLong('The note', NOTE_MAX)).default('')
});

/** A curator's "not now" to an offer: the volunteer reads the note. */
export const turnDownSchema = z.object({
	note: z
		.string()
		.trim()
		.min(1, 'Say why, so the volunteer knows')
		.max(NOTE_MAX, tooLong('The note', NOTE_MAX))
});

/** The filters on /champions, each a plain GET parameter. */
export interface ChampionFilters {
	serviceArea?: string;
	dimension?: string;
	available?: (typeof AVAILABILITY)[number];
}

export function parseChampionFilters(params: URLSearchParams): ChampionFilters {
	const pick = (name: string) => {
		const v = params.get(name);
		return v && v.length <= 200 ? v : undefined;
	};
	const available = pick('available');
	return {
		serviceArea: pick('area'),
		dimension: pick('dimension'),
		available: (AVAILABILITY as readonly string[]).includes(available ?? '')
			? (available as (typeof AVAILABILITY)[number])
			: undefined
	};
}
