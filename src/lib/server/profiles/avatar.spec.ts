import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { ImageStore } from '../uploads/image-store';
import { photoWithLocation, testPictureField } from '../uploads/uploads.testing';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { getOwnProfile, getPublicProfile, updateProfile } from './profiles.service';
import { createEvent } from '../events/events.service';
import { eventValues, TEST_SITE } from '../events/events.testing';
import { createOrganisation, updateOrganisation } from '../organisations/organisations.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };
const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
afterEach(() => {
	vi.unstubAllEnvs();
});

const profile = (name: string) => ({ name, pronouns: '', bio: '', show: [] });

describeEachDatabase('people’s pictures', (ctx) => {
	for (const storage of ['database', 'folder'] as const) {
		describe(`kept in the ${storage}`, () => {
			const folder =
				storage === 'folder' ? mkdtempSync(path.join(tmpdir(), 'colab-avatars-')) : undefined;
			if (folder) folders.push(folder);
			const store = new ImageStore(folder);
			// Account deletion finds the store from the settings, as the running app does.
			const useSettings = () => vi.stubEnv('UPLOADS_DIR', folder ?? '');

			it('shows initials until a picture is added, then the picture, without its location', async () => {
				const sam = await createTestUser(ctx.db, { name: 'Sam Jones' });
				expect((await getPublicProfile(ctx.db, null, sam.id))?.avatar).toBeNull();
				const saved = await updateProfile(
					ctx.db,
					sam,
					profile('Sam Jones'),
					testPictureField(store, await photoWithLocation(800, 800))
				);
				expect(saved.ok).toBe(true);
				const seen = await getPublicProfile(ctx.db, null, sam.id);
				expect(seen?.avatar).toMatchObject({ width: 800, height: 800, alt: '' });
				const id = /\/media\/([^/]+)\//.exec(seen!.avatar!.src)![1]!;
				const bytes = await store.read(ctx.db, id, 800);
				const metadata = await sharp(bytes!.data).metadata();
				expect(metadata.exif).toBeUndefined();
				expect((await getOwnProfile(ctx.db, sam)).avatar?.src).toBe(seen!.avatar!.src);
			});

			it('refuses someone signed out, storing nothing', async () => {
				const before = await ctx.db.selectFrom('image').select('id').execute();
				const files = folder ? readdirSync(folder) : [];
				await expect(
					updateProfile(
						ctx.db,
						null,
						profile('Nobody'),
						testPictureField(store, await photoWithLocation())
					)
				).rejects.toBeInstanceOf(ForbiddenError);
				expect(await ctx.db.selectFrom('image').select('id').execute()).toEqual(before);
				if (folder) expect(readdirSync(folder)).toEqual(files);
			});

			it('keeps the typed text and says why, when the file is not a picture', async () => {
				const sam = await createTestUser(ctx.db);
				const result = await updateProfile(
					ctx.db,
					sam,
					profile('Sam'),
					testPictureField(store, new File(['%PDF-1.7'], 'me.webp', { type: 'image/webp' }))
				);
				expect(result).toMatchObject({
					ok: false,
					errors: { avatar: expect.stringContaining('Choose the file again') }
				});
			});

			it('is in "download my data", and goes with the account', async () => {
				useSettings();
				const sam = await createTestUser(ctx.db, { name: 'Sam Leaving' });
				await updateProfile(
					ctx.db,
					sam,
					profile('Sam Leaving'),
					testPictureField(store, await photoWithLocation(500, 400))
				);
				const data = (await exportPersonData(ctx.db, sam.id))!;
				const picture = (data.profile as { picture: { width: number; image: string } }).picture;
				expect(picture.width).toBe(500);
				expect(picture.image).toMatch(/^data:image\/webp;base64,/);
				const id = (await ctx.db
					.selectFrom('profile')
					.select('avatar_image_id')
					.where('user_id', '=', sam.id)
					.executeTakeFirstOrThrow())!.avatar_image_id!;
				if (folder) expect(readdirSync(folder)).toContain(id);

				// Their event's cover and their organisation's logo (they are its only member) too.
				const hosted = await createEvent(
					ctx.db,
					TEST_SITE,
					{ ...sam, role: 'curator' },
					eventValues({ coverAlt: 'A cover' }),
					undefined,
					testPictureField(store, await photoWithLocation(400, 300))
				);
				if (!hosted.ok) throw new Error(JSON.stringify(hosted));
				const org = await createOrganisation(ctx.db, sam, {
					name: `Sam's group ${storage}`,
					description: 'A group.',
					website: ''
				});
				if (!org.ok) throw new Error('no organisation');
				await updateOrganisation(
					ctx.db,
					sam,
					org.organisation.id,
					{ name: org.organisation.name, description: 'A group.', website: '' },
					testPictureField(store, await photoWithLocation(200, 200))
				);
				const theirs = [
					id,
					hosted.event.cover_image_id!,
					(await ctx.db
						.selectFrom('organisation')
						.select('logo_image_id')
						.where('id', '=', org.organisation.id)
						.executeTakeFirstOrThrow())!.logo_image_id!
				];
				expect(theirs.every(Boolean)).toBe(true);

				expect(
					(await deleteAccount(ctx.db, sam.id, { contributions: 'remove', site: SITE })).ok
				).toBe(true);
				expect(
					await ctx.db.selectFrom('image').select('id').where('id', 'in', theirs).execute()
				).toEqual([]);
				if (folder) for (const gone of theirs) expect(readdirSync(folder)).not.toContain(gone);
				expect(
					await ctx.db
						.selectFrom('image_variant')
						.select('width')
						.where('image_id', '=', id)
						.execute()
				).toEqual([]);
				if (folder) expect(readdirSync(folder)).not.toContain(id);
			});
		});
	}
});
