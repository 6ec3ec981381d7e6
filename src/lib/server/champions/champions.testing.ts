import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { toFormData } from '../forms';
import { libraryVocabulary } from '../library/tags.service';
import { createTestUser } from '../testing/factories';
import { confirmChampion, volunteer } from './champions.service';

/** The form a volunteer sends, with sensible choices unless told otherwise. */
export async function volunteerForm(
	db: Kysely<DB>,
	overrides: Record<string, string | string[]> = {}
): Promise<FormData> {
	const vocabulary = await libraryVocabulary(db);
	return toFormData({
		serviceAreas: [vocabulary.serviceAreas[0]!.id],
		dimensions: [vocabulary.dimensions[0]!.key],
		barriers: [vocabulary.barriers[0]!.id],
		helpWith: 'Planning a first co-produced meeting.',
		availability: ['lunch', 'online'],
		contactBy: 'email',
		phone: '',
		...overrides
	});
}

/** A member who volunteered and whom a curator confirmed. */
export async function createTestChampion(
	db: Kysely<DB>,
	curator: Awaited<ReturnType<typeof createTestUser>>,
	options: { name?: string; form?: Record<string, string | string[]> } = {}
) {
	const user = await createTestUser(db, { name: options.name ?? 'Cam Champion' });
	const result = await volunteer(db, user, await volunteerForm(db, options.form));
	if (!result.ok) throw new Error(`volunteering failed: ${JSON.stringify(result.errors)}`);
	await confirmChampion(db, curator, result.id);
	return { user, id: result.id };
}
