import type { StartDecisionInput } from './decisions.service';

/** A consensus decision to all members, closing in a week from the spec's "now". */
export function decisionInput(overrides: Partial<StartDecisionInput> = {}): StartDecisionInput {
	return {
		question: 'Should we meet in the evenings from January?',
		proposal: 'Move the monthly meeting to **6pm**, so people who work can come.',
		process: 'consensus',
		audience: 'members',
		closesAt: '2026-12-10T17:00:00.000Z',
		quorum: 2,
		...overrides
	};
}

/** The spec's "now": a week before the decision above closes. */
export const NOW = '2026-12-03T10:00:00.000Z';
