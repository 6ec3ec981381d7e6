import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { EntryInput, PilotInput } from './pilots.schema';

/** Seeded service areas (ids are fixed by the library's migration). */
export const CARERS_AREA = 'service-area:carers-and-unpaid-care';
export const MENTAL_HEALTH_AREA = 'service-area:mental-health';

/** What a pilot form sends, with sensible words unless told otherwise. */
export function pilotValues(overrides: Partial<PilotInput> = {}): PilotInput {
	return {
		title: 'Evening drop-in for carers',
		summary: 'We are trying an **evening** drop-in, so carers who work can come.',
		serviceAreas: [CARERS_AREA],
		organisationId: '',
		visibility: 'public',
		website: '',
		...overrides
	};
}

/** What an entry form sends. */
export function entryValues(overrides: Partial<EntryInput> = {}): EntryInput {
	return {
		date: '2026-11-20',
		tried: 'Opened the room from 6 to 8 in the evening.',
		happened: 'Five carers came; two had never been before.',
		learned: 'People came after work, as we hoped.',
		nextChange: 'Put the dates on the GP surgery’s screen.',
		website: '',
		...overrides
	};
}

/** Asks for notification emails at once rather than in the daily summary. */
export async function emailAtOnce(db: Kysely<DB>, userId: string): Promise<void> {
	await db
		.insertInto('notification_setting')
		.values({
			user_id: userId,
			email_frequency: 'immediate',
			last_summary_at: null,
			updated_at: new Date().toISOString()
		})
		.execute();
}
