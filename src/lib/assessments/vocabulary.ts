import type { Option } from '$lib/components';

/**
 * The answer choices of the co-production check, for forms on the client and the server. The
 * values are the ones `scoring.ts` reads ('0'…'4', 'dont-know', and the stage keys).
 */

/** How often a statement is true, and "Don't know" (which does not count towards a score). */
export const RATING_OPTIONS: Option[] = [
	{ value: '0', label: 'Never' },
	{ value: '1', label: 'Rarely' },
	{ value: '2', label: 'Sometimes' },
	{ value: '3', label: 'Often' },
	{ value: '4', label: 'Always' },
	{ value: 'dont-know', label: 'Don’t know' }
];

/** The continuum of participation, with a plain hint for each stage. */
export const STAGE_OPTIONS: Option[] = [
	{ value: 'informing', label: 'Informing', hint: 'People are told what has been decided.' },
	{ value: 'consulting', label: 'Consulting', hint: 'People are asked for their views.' },
	{ value: 'engaging', label: 'Engaging', hint: 'People take part in discussions that shape it.' },
	{ value: 'co-designing', label: 'Co-designing', hint: 'People design it together.' },
	{
		value: 'co-producing',
		label: 'Co-producing',
		hint: 'People design and deliver it together, sharing power.'
	}
];
