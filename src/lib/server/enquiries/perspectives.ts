import type { Perspective, QuoteConsent } from './enquiries.tables';

/** How each perspective reads in a sentence: "a carer", "council staff". */
export const PERSPECTIVE_LABELS: Record<Perspective, { label: string; asSpeaker: string }> = {
	'uses-services': { label: 'Uses services', asSpeaker: 'someone who uses services' },
	carer: { label: 'Carer', asSpeaker: 'a carer' },
	volunteer: { label: 'Volunteer', asSpeaker: 'a volunteer' },
	'charity-staff': { label: 'Charity staff', asSpeaker: 'a member of charity staff' },
	'council-staff': { label: 'Council staff', asSpeaker: 'a member of council staff' },
	'nhs-staff': { label: 'NHS staff', asSpeaker: 'a member of NHS staff' },
	other: { label: 'Other', asSpeaker: 'a participant' }
};

export const QUOTE_CONSENT_LABELS: Record<QuoteConsent, string> = {
	name: 'By name and perspective',
	perspective: 'By perspective only',
	none: 'Not to be quoted'
};

/** What the rules need to know about a speaker to attribute their words. */
export interface Speaker {
	label: string;
	perspective: Perspective;
	consent_take_part: number;
	consent_quote: QuoteConsent;
	withdrawn_at: string | null;
}

/**
 * How a quote is attributed, as its speaker consented at this moment: "Priya, a carer" or
 * "a carer". Null when the words may not be quoted at all (no quoting consent, no consent to
 * take part, or withdrawn): such a quote is neither inserted nor shown.
 */
export function attributeQuote(speaker: Speaker): string | null {
	if (speaker.withdrawn_at !== null || speaker.consent_take_part !== 1) return null;
	const as = PERSPECTIVE_LABELS[speaker.perspective].asSpeaker;
	if (speaker.consent_quote === 'name') return `${speaker.label}, ${as}`;
	if (speaker.consent_quote === 'perspective') return as;
	return null;
}
