import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { findProfile, upsertProfile } from './profiles.repository';
import { refreshProfileSearch } from './profiles.search';

/** A demo person's profile: what they say about themselves and what they show. */
export interface DemoProfile {
	bio: string;
	pronouns: string | null;
	show: { bio: 0 | 1; pronouns: 0 | 1; organisations: 0 | 1; email: 0 | 1 };
}

/**
 * Sample profiles, handed out in turn to people who bring no profile of their own (the demo's
 * people each bring theirs, so their profile matches who they are said to be).
 */
const SAMPLES: readonly DemoProfile[] = [
	{
		bio: 'I care for my mum and volunteer at the carers’ centre on Tuesdays.',
		pronouns: 'she/her',
		show: { bio: 1, pronouns: 1, organisations: 1, email: 0 }
	},
	{
		bio: 'Commissioning manager. Interested in how we share power, not just ask for views.',
		pronouns: 'he/him',
		show: { bio: 1, pronouns: 1, organisations: 1, email: 1 }
	},
	{
		bio: 'Peer support worker with lived experience of mental health services.',
		pronouns: 'they/them',
		show: { bio: 1, pronouns: 1, organisations: 0, email: 0 }
	},
	{
		bio: 'Occupational therapist. Ask me about co-designing discharge plans.',
		pronouns: null,
		show: { bio: 0, pronouns: 0, organisations: 1, email: 0 }
	}
];

/**
 * Gives each demo person their own profile (or a sample one), unless they already have one (so a member's own
 * edits survive re-seeding).
 */
export async function seedProfiles(
	db: Kysely<DB> | Transaction<DB>,
	people: ReadonlyArray<{ id: string; profile?: DemoProfile }>
): Promise<void> {
	for (const [i, person] of people.entries()) {
		if (await findProfile(db, person.id)) continue;
		const sample = person.profile ?? SAMPLES[i % SAMPLES.length];
		if (!sample) continue;
		await upsertProfile(db, {
			user_id: person.id,
			bio: sample.bio,
			pronouns: sample.pronouns,
			show_bio: sample.show.bio,
			show_pronouns: sample.show.pronouns,
			show_organisations: sample.show.organisations,
			show_email: sample.show.email,
			updated_at: nowIso()
		});
		await refreshProfileSearch(db, person.id);
	}
}
