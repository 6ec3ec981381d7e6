import { PERSPECTIVES, QUOTE_CONSENTS } from './enquiries.tables';
import { PERSPECTIVE_LABELS, QUOTE_CONSENT_LABELS } from './perspectives';

/** The perspective radios, in the order the issue lists them. */
export const PERSPECTIVE_OPTIONS = PERSPECTIVES.map((p) => ({
	value: p,
	label: PERSPECTIVE_LABELS[p].label
}));

/** How a person may be quoted, with what a reader of the report would see. */
export const QUOTE_OPTIONS = QUOTE_CONSENTS.map((q) => ({
	value: q,
	label: QUOTE_CONSENT_LABELS[q],
	hint:
		q === 'name'
			? 'Quotes show their label and perspective, like “Priya, a carer”.'
			: q === 'perspective'
				? 'Quotes show only their perspective, like “a carer”.'
				: 'Their words can be analysed but never quoted in the report.'
}));
