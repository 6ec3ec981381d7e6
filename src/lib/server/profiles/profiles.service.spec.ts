import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { readContentVersion } from '../cache/content-version';
import { createOrganisation } from '../organisations/organisations.service';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { getOwnProfile, getPublicProfile, updateProfile } from './profiles.service';

describeEachDatabase('profiles', (ctx) => {
	it('starts with nothing shown but the display name', async () => {
		const sam = await createTestUser(ctx.db, { name: 'Sam Okafor' });
		expect(await getOwnProfile(ctx.db, sam)).toEqual({
			id: sam.id,
			name: 'Sam Okafor',
			bio: '',
			pronouns: '',
			showBio: false,
			showPronouns: false,
			showOrganisations: false,
			showEmail: false,
			avatar: null
		});
		expect(await getPublicProfile(ctx.db, null, sam.id)).toEqual({
			id: sam.id,
			name: 'Sam Okafor',
			bio: null,
			pronouns: null,
			email: null,
			organisations: null,
			isOwn: false,
			avatar: null
		});
	});

	it('saves the name, bio, pronouns and choices, and tells the page cache', async () => {
		const sam = await createTestUser(ctx.db, { name: 'Sam' });
		const before = await readContentVersion(ctx.db);
		const result = await updateProfile(ctx.db, sam, {
			name: '  Sam Okafor ',
			pronouns: 'they/them',
			bio: 'Carer and volunteer.',
			show: ['bio', 'pronouns']
		});
		expect(result.ok).toBe(true);
		expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
		expect(await getOwnProfile(ctx.db, sam)).toMatchObject({
			name: 'Sam Okafor',
			pronouns: 'they/them',
			bio: 'Carer and volunteer.',
			showBio: true,
			showPronouns: true,
			showOrganisations: false,
			showEmail: false
		});
		const user = await ctx.db
			.selectFrom('app_user')
			.select('name')
			.where('id', '=', sam.id)
			.executeTakeFirstOrThrow();
		expect(user.name).toBe('Sam Okafor');

		// Unticking a box hides it again; what was written is kept for later.
		await updateProfile(ctx.db, sam, {
			name: 'Sam Okafor',
			pronouns: 'they/them',
			bio: 'Carer and volunteer.',
			show: 'pronouns'
		});
		expect(await getPublicProfile(ctx.db, null, sam.id)).toMatchObject({
			pronouns: 'they/them',
			bio: null
		});
		expect((await getOwnProfile(ctx.db, sam)).bio).toBe('Carer and volunteer.');
	});

	it('shows a chosen email address to signed-in members only, never to visitors', async () => {
		const sam = await createTestUser(ctx.db, { email: 'sam.okafor@example.test' });
		const reader = await createTestUser(ctx.db);
		await updateProfile(ctx.db, sam, { name: sam.name, show: 'email' });
		expect((await getPublicProfile(ctx.db, reader, sam.id))?.email).toBe('sam.okafor@example.test');
		expect((await getPublicProfile(ctx.db, null, sam.id))?.email).toBeNull();
	});

	it('lists the organisations a member belongs to only when they chose to', async () => {
		const sam = await createTestUser(ctx.db);
		const created = await createOrganisation(ctx.db, sam, {
			name: 'Profile Test Charity',
			description: 'Helps.'
		});
		if (!created.ok) throw new Error('could not create organisation');
		expect((await getPublicProfile(ctx.db, null, sam.id))?.organisations).toBeNull();
		await updateProfile(ctx.db, sam, { name: sam.name, show: ['organisations'] });
		expect((await getPublicProfile(ctx.db, null, sam.id))?.organisations).toEqual([
			{ slug: created.organisation.slug, name: 'Profile Test Charity' }
		]);
		expect((await getPublicProfile(ctx.db, sam, sam.id))?.isOwn).toBe(true);
	});

	it('explains what to fix and changes nothing', async () => {
		const sam = await createTestUser(ctx.db, { name: 'Sam' });
		const result = await updateProfile(ctx.db, sam, {
			name: ' ',
			pronouns: 'x'.repeat(41),
			bio: 'y'.repeat(501)
		});
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				name: 'Enter your name',
				pronouns: 'Pronouns must be 40 characters or fewer',
				bio: 'About you must be 500 characters or fewer'
			}
		});
		expect((await getOwnProfile(ctx.db, sam)).name).toBe('Sam');
	});

	it('refuses visitors', async () => {
		await expect(updateProfile(ctx.db, null, { name: 'Anyone' })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(getOwnProfile(ctx.db, null)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('has no profile for an unknown person', async () => {
		expect(await getPublicProfile(ctx.db, null, 'no-such-person')).toBeUndefined();
	});
});
