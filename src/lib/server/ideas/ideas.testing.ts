import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { FormValues } from '../forms';
import type { IdeaInput, SupportInput } from './ideas.schema';

/** What the idea form sends, with sensible words unless told otherwise. */
export function ideaValues(overrides: Partial<IdeaInput> = {}): IdeaInput {
	return {
		title: 'A monthly repair café',
		body: 'People bring **broken things** and fix them together, with tea.',
		website: '',
		...overrides
	};
}

export function supportValues(overrides: Partial<SupportInput> = {}): SupportInput {
	return { ways: ['come'], note: '', ...overrides };
}

/** The "turn into an event" form: the idea's words, a date, a time and a place. */
export function ideaEventValues(overrides: FormValues = {}): FormValues {
	return {
		format: 'exchange',
		startDate: '2030-06-04',
		startTime: '18:00',
		endTime: '19:30',
		mode: 'in_person',
		venueName: 'Riverside Library',
		venueAddress: '1 High Street, Riverside RV1 2AB',
		...overrides
	};
}

/** A curator pauses someone's posting for three days. */
export async function pausePosting(db: Kysely<DB>, userId: string, days = 3): Promise<string> {
	const until = new Date(Date.now() + days * 86_400_000).toISOString();
	await db
		.insertInto('posting_suspension')
		.values({
			id: `s-${userId}`,
			user_id: userId,
			ends_at: until,
			created_by: null,
			created_at: new Date().toISOString()
		})
		.execute();
	return until;
}
