import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { FormValues } from '../forms';
import { createTestUser } from '../testing/factories';
import type { EventsSite } from './events.links';
import { createEvent } from './events.service';
import type { Event } from './events.tables';

/** The site specs pass to event services. */
export const TEST_SITE: EventsSite = {
	siteName: 'CoLab Test',
	origin: 'http://colab.test',
	timeZone: 'Europe/London',
	linkSecret: 'a-secret-for-specs-only'
};

/** A complete, valid event form: an evening Exchange session in June 2030. */
export function eventValues(overrides: FormValues = {}): FormValues {
	return {
		title: 'Sharing what works in carers’ support',
		format: 'exchange',
		description: 'An evening to share **practice** on supporting carers.',
		startDate: '2030-06-04',
		startTime: '18:00',
		endTime: '19:30',
		mode: 'in_person',
		venueName: 'Riverside Library',
		venueAddress: '1 High Street, Riverside RV1 2AB',
		accessFeatures: ['step_free', 'hearing_loop'],
		accessNotes: 'Lift to the first floor.',
		capacity: '20',
		visibility: 'public',
		...overrides
	};
}

export async function testMember(
	db: Kysely<DB>,
	role: SessionUser['role'] = 'member',
	name?: string
): Promise<SessionUser> {
	return createTestUser(db, { role, name });
}

/** A published event hosted by a curator (so it needs no approval). */
export async function publishedEvent(
	db: Kysely<DB>,
	overrides: FormValues = {},
	host?: SessionUser
): Promise<{ event: Event; host: SessionUser }> {
	const by = host ?? (await testMember(db, 'curator'));
	const result = await createEvent(db, TEST_SITE, by, eventValues(overrides));
	if (!result.ok) throw new Error(`event not created: ${JSON.stringify(result)}`);
	return { event: result.event, host: by };
}
