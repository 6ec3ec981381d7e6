import { hashPassword } from 'better-auth/crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Role } from '../auth/auth.types';
import { findUserByEmail, insertCredentialAccount, insertUser } from '../auth/auth.repository';
import {
	seedProfilesAndOrganisations,
	type DemoOrganisationSlug
} from '../organisations/organisations.demo';
import type { DemoProfile } from '../profiles/profiles.demo';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import { readContactDetails, writeContactDetails } from '../admin/contact.service';
import { seedEvents } from '../events/events.demo';
import { seedAssessments } from '../assessments/assessments.demo';
import { seedUpdates } from '../updates/updates.demo';
import { seedAnnouncements } from '../updates/announcements.demo';
import { seedNotifications } from '../notifications/notifications.demo';
import { seedVideos } from '../videos/videos.demo';
import { seedComments } from '../comments/comments.demo';
import { seedPosts } from '../posts/posts.demo';
import { seedCaseStudies } from '../library/case-studies.demo';
import { seedPilots } from '../pilots/pilots.demo';
import { seedChampions } from '../champions/champions.demo';
import { seedIdeas } from '../ideas/ideas.demo';
import { seedStatements } from '../statements/statements.demo';
import { seedDecisions } from '../decisions/decisions.demo';
import { seedReportDemo } from '../enquiries/report.demo';

/** The password every demo person signs in with. Printed by `npm run demo`; demo use only. */
export const DEMO_PASSWORD = 'colab-demo-2026';

/** One of the demo's people: who they are said to be, and a profile that matches it. */
export interface DemoPersonSpec {
	name: string;
	email: string;
	role: Role;
	/** Who they are, as `npm run demo` prints it beside their sign-in. */
	who: string;
	profile: DemoProfile;
	/** The demo organisations they belong to (the administrator admins every one anyway). */
	organisations: readonly DemoOrganisationSlug[];
}

/**
 * The demo's people: one of each role, and members who are the kinds of people a
 * co-production network brings together. Each profile says what `who` says (a spec checks).
 */
export const DEMO_PEOPLE: ReadonlyArray<DemoPersonSpec> = [
	{
		name: 'Amira Hassan',
		email: 'admin@demo.colab.example',
		role: 'administrator',
		who: 'runs this CoLab',
		profile: {
			bio: 'I run this CoLab for the network. Tell me if something on the site does not work for you.',
			pronouns: 'she/her',
			show: { bio: 1, pronouns: 1, organisations: 0, email: 1 }
		},
		organisations: []
	},
	{
		name: 'Chris Okafor',
		email: 'curator@demo.colab.example',
		role: 'curator',
		who: 'curates events and content',
		profile: {
			bio: 'I curate events and content for the network: I approve new events and help hosts make them welcoming.',
			pronouns: 'he/him',
			show: { bio: 1, pronouns: 1, organisations: 1, email: 1 }
		},
		organisations: ['voluntary-action-borough']
	},
	{
		name: 'Priya Shah',
		email: 'priya@demo.colab.example',
		role: 'member',
		who: 'a carer',
		profile: {
			bio: 'I am a carer for my mum. The carers’ centre helped me have a say in how support is planned.',
			pronouns: 'she/her',
			show: { bio: 1, pronouns: 1, organisations: 1, email: 0 }
		},
		organisations: ['riverside-carers-centre']
	},
	{
		name: 'Sam Taylor',
		email: 'sam@demo.colab.example',
		role: 'member',
		who: 'uses mental health services',
		profile: {
			bio: 'I use mental health services and want people like me to help decide how they change.',
			pronouns: 'they/them',
			show: { bio: 1, pronouns: 1, organisations: 0, email: 0 }
		},
		organisations: ['northgate-nhs-foundation-trust']
	},
	{
		name: 'Jo Bennett',
		email: 'jo@demo.colab.example',
		role: 'member',
		who: 'council commissioning manager',
		profile: {
			bio: 'Commissioning manager at the council. Interested in how we share power, not just ask for views.',
			pronouns: null,
			show: { bio: 1, pronouns: 0, organisations: 1, email: 1 }
		},
		organisations: ['adult-social-care-borough-council']
	},
	{
		name: 'Tom Walsh',
		email: 'tom@demo.colab.example',
		role: 'member',
		who: 'volunteer',
		profile: {
			bio: 'I volunteer with the carers’ centre and the network: I set up rooms and welcome people at the door.',
			pronouns: 'he/him',
			show: { bio: 1, pronouns: 1, organisations: 1, email: 0 }
		},
		organisations: ['voluntary-action-borough', 'riverside-carers-centre']
	}
];

export interface DemoPerson extends DemoPersonSpec {
	id: string;
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
			const { name, email, role } = person;
			const user = await insertUser(trx, { name, email, role, emailVerified: true });
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
	await seedContactDetails(db);
	await seedUpdates(db, people);
	await seedAnnouncements(db);
	await seedPosts(db);
	await seedNotifications(db, people);
	// After the posts: a video on the first published one.
	await seedVideos(db);
	// After the posts demo (merged separately): it comments on the first published post.
	await seedComments(db, people);
	// After the check's demo: one case study cites its round.
	await seedCaseStudies(db);
	// After the organisations: pilots run on behalf of them.
	await seedPilots(db);
	// Champions and their requests: after the people (they write the champions' posts too).
	await seedChampions(db);
	// After the events: one idea became the demo's walk.
	await seedIdeas(db);
	// The shared statement: after the organisations, which endorse it.
	await seedStatements(db);
	// Decisions: a consensus decision over two rounds, an open dot vote and a draft.
	await seedDecisions(db);
	// The demo enquiry and its published report: after the events (it links the enquiry session).
	await seedReportDemo(db);
	return people;
}

/** Made-up contact details (a drama phone number), unless an administrator has set some. */
export const DEMO_CONTACT = {
	email: 'hello@demo.colab.example',
	phone: '020 7946 0000',
	address: 'Riverside CoLab\nc/o Voluntary Action Borough\n1 High Street\nTownley TL1 2AB'
};

async function seedContactDetails(db: Kysely<DB>): Promise<void> {
	const current = await readContactDetails(db);
	if (current.email || current.phone || current.address) return;
	await changeContent(db, (trx) => writeContactDetails(trx, SYSTEM_ACTOR, DEMO_CONTACT));
}
