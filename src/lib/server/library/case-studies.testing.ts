import type { CaseStudyInput } from './case-studies.schema';

/** A complete case study's form, ready to submit; override any part. */
export function caseStudyInput(overrides: Partial<CaseStudyInput> = {}): CaseStudyInput {
	return {
		title: 'Carers design the respite booking form',
		summary: 'Carers and staff rewrote the respite booking form together.',
		serviceAreas: ['service-area:carers-and-unpaid-care'],
		stage: 'co-designing',
		workStatus: 'running',
		whatWasDone: 'Four workshops.\n\nA new form, tested by carers.',
		whoWasInvolved: 'Eight carers, two staff and a manager.',
		organisations: [],
		benefits: ['benefit:a-voice-for-people'],
		barriers: ['barrier:time'],
		barriersHandled: 'Workshops in the evening, with care cover paid.',
		doDifferently: 'Start sooner.',
		dimensions: [],
		links: '',
		roundId: '',
		website: '',
		...overrides
	};
}
