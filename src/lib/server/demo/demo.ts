import { hashPassword } from 'better-auth/crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Role } from '../auth/auth.types';
import { findUserByEmail, insertCredentialAccount, insertUser } from '../auth/auth.repository';
import { seedProfilesAndOrganisations } from '../organisations/organisations.demo';
import { seedEvents } from '../events/events.demo';
import { seedAssessments } from '../assessments/assessments.demo';
import { seedUpdates } from '../updates/updates.demo';

/** The password every demo person signs in with. Printed by `npm run demo`; demo use only. */
export const DEMO_PASSWORD = 'colab-demo-2026';

/**
 * The demo's people: one of each role, and members who are the kinds of people a
 * co-production network brings together.
 */
export const DEMO_PEOPLE: ReadonlyArray<{ name: string; email: string; role: Role; who: string }> =
	[
		{
			name: 'Amira Hassan',
			email: 'admin@demo.colab.example',
			role: 'administrator',
			who: 'runs this CoLab'
		},
		{
			name: 'Chris Okafor',
			email: 'curator@demo.colab.example',
			role: 'curator',
			who: 'curates events and content'
		},
		{
			name: 'Priya Shah',
			email: 'priya@demo.colab.example',
			role: 'member',
			who: 'a carer'
		},
		{
			name: 'Sam Taylor',
			email: 'sam@demo.colab.example',
			role: 'member',
			who: 'uses mental health services'
		},
		{
			name: 'Jo Bennett',
			email: 'jo@demo.colab.example',
			role: 'member',
			who: 'council commissioning manager'
		},
		{
			name: 'Tom Walsh',
			email: 'tom@demo.colab.example',
			role: 'member',
			who: 'volunteer'
		}
	];

export interface DemoPerson {
	id: string;
	name: string;
	email: string;
	role: Role;
	who: string;
	created: boolean;
}

/**
 * Makes sure every demo person exists with the demo password (idempotent: people already there
 * are left as they are). Written straight to the accounts tables rather than through
 * `createUser`, so the demo does not queue "your account is ready" emails to made-up addresses.
 */
export async function seedDemoPeople(db: Kysely<DB>): Promise<DemoPerson[]> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const people: DemoPerson[] = [];
	for (const person of DEMO_PEOPLE) {
		const existing = await findUserByEmail(db, person.email);
		if (existing) {
			people.push({ ...person, id: existing.id, created: false });
			continue;
		}
		const user = await db.transaction().execute(async (trx) => {
			const user = await insertUser(trx, { ...person, emailVerified: true });
			await insertCredentialAccount(trx, user.id, passwordHash);
			return user;
		});
		people.push({ ...person, id: user.id, created: true });
	}
	return people;
}

/**
 * Seeds the whole demo, idempotently: people of each role, then each feature's demo content.
 * A later feature adds its own `seed…` call here.
 */
export async function seedDemo(db: Kysely<DB>, timeZone = 'Europe/London'): Promise<DemoPerson[]> {
	const people = await seedDemoPeople(db);
	await seedProfilesAndOrganisations(db, people);
	await seedEvents(db, people, timeZone);
	await seedAssessments(db, people);
	await seedUpdates(db, people);
	return people;
}
