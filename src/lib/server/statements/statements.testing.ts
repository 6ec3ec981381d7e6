import type { AmendmentInput, StartInput } from './statements.schema';

/** A short first draft: two sections, five clauses. */
export const DRAFT = `# Our shared statement

## Our vision

People who use services and people who run them design them together, as equals.

Everyone's knowledge counts: lived experience, learned experience and professional experience.

## How we work

- We share power over decisions from the start.
- We pay people for their time and expertise.
- We say what changed because of what people told us.
`;

export function startValues(overrides: Partial<StartInput> = {}): StartInput {
	return { title: 'Our shared statement', draft: DRAFT, note: '', website: '', ...overrides };
}

export function amendmentValues(overrides: Partial<AmendmentInput> = {}): AmendmentInput {
	return {
		kind: 'change',
		clause: '',
		section: '',
		version: 1,
		text: 'People who use services and people who run them design and deliver them together, as equals.',
		reason: 'Co-production is about delivering services too, not only designing them.',
		website: '',
		...overrides
	};
}
