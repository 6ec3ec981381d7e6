import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { ImageStore } from '../uploads/image-store';
import { photoWithLocation, testPictureField } from '../uploads/uploads.testing';
import {
	createOrganisation,
	listOrganisations,
	organisationLogo,
	updateOrganisation,
	viewOrganisation
} from './organisations.service';

const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const details = (name: string) => ({
	name,
	description: `${name} supports unpaid carers.`,
	website: ''
});

describeEachDatabase('organisation logos', (ctx) => {
	for (const storage of ['database', 'folder'] as const) {
		describe(`kept in the ${storage}`, () => {
			const folder =
				storage === 'folder' ? mkdtempSync(path.join(tmpdir(), 'colab-logos-')) : undefined;
			if (folder) folders.push(folder);
			const store = new ImageStore(folder);
			const images = async () =>
				(await ctx.db.selectFrom('image').select('id').execute()).map((r) => r.id).sort();

			async function organisation(name: string) {
				const admin: SessionUser = await createTestUser(ctx.db);
				const made = await createOrganisation(ctx.db, admin, details(name));
				if (!made.ok) throw new Error('not made');
				return { admin, organisation: made.organisation };
			}

			it('its admin sets a logo, whose text alternative is its name; a new one replaces it', async () => {
				const { admin, organisation: org } = await organisation(`Logo Makers ${storage}`);
				const first = await updateOrganisation(
					ctx.db,
					admin,
					org.id,
					details(org.name),
					testPictureField(store, await photoWithLocation(400, 200))
				);
				if (!first.ok) throw new Error(JSON.stringify(first));
				const view = await viewOrganisation(ctx.db, null, org.slug);
				const logo = await organisationLogo(ctx.db, view!.organisation);
				expect(logo).toMatchObject({ alt: org.name, width: 400, height: 200 });
				const firstId = view!.organisation.logo_image_id!;

				await updateOrganisation(
					ctx.db,
					admin,
					org.id,
					details(org.name),
					testPictureField(store, await photoWithLocation(300, 300))
				);
				const after = await viewOrganisation(ctx.db, null, org.slug);
				expect(after!.organisation.logo_image_id).not.toBe(firstId);
				expect(await images()).not.toContain(firstId);
				if (folder) expect(readdirSync(folder)).not.toContain(firstId);

				await updateOrganisation(
					ctx.db,
					admin,
					org.id,
					{ ...details(org.name), removeLogo: 'yes' },
					testPictureField(store, new File([], ''))
				);
				expect((await viewOrganisation(ctx.db, null, org.slug))!.organisation.logo_image_id).toBe(
					null
				);
				if (folder) expect(readdirSync(folder)).toEqual([]);
			});

			it('can have its logo from the start, and a refused file is said beside the other errors', async () => {
				const founder: SessionUser = await createTestUser(ctx.db);
				const made = await createOrganisation(
					ctx.db,
					founder,
					details(`From The Start ${storage}`),
					testPictureField(store, await photoWithLocation(500, 250))
				);
				if (!made.ok) throw new Error(JSON.stringify(made));
				expect(made.organisation.logo_image_id).toEqual(expect.any(String));
				expect(await organisationLogo(ctx.db, made.organisation)).toMatchObject({
					alt: `From The Start ${storage}`,
					width: 500,
					height: 250
				});
				if (folder) expect(readdirSync(folder)).toContain(made.organisation.logo_image_id);
				// The list shows it too, as decoration beside the name (no second reading of it).
				const listed = (await listOrganisations(ctx.db, 1, 1000))!.items.find(
					(o) => o.id === made.organisation.id
				);
				expect(listed?.logo).toMatchObject({ alt: '', width: 500, height: 250 });

				const before = await images();
				const refused = await createOrganisation(
					ctx.db,
					founder,
					details(''),
					testPictureField(store, new File(['hello'], 'logo.png', { type: 'image/png' }))
				);
				expect(refused).toMatchObject({
					ok: false,
					errors: { name: expect.any(String), logo: expect.stringContaining('not a JPEG') }
				});
				expect(await images()).toEqual(before);
				// Nobody signed in stores nothing.
				await expect(
					createOrganisation(
						ctx.db,
						null,
						details('Nobody'),
						testPictureField(store, await photoWithLocation())
					)
				).rejects.toBeInstanceOf(ForbiddenError);
				expect(await images()).toEqual(before);
			});

			it('refuses anyone who may not change its details, storing nothing', async () => {
				const { organisation: org } = await organisation(`Guarded ${storage}`);
				const outsider = await createTestUser(ctx.db);
				const before = await images();
				const filesBefore = folder ? readdirSync(folder).sort() : [];
				for (const actor of [outsider, null]) {
					await expect(
						updateOrganisation(
							ctx.db,
							actor,
							org.id,
							details('Taken over'),
							testPictureField(store, await photoWithLocation())
						)
					).rejects.toBeInstanceOf(ForbiddenError);
				}
				expect(await images()).toEqual(before);
				if (folder) expect(readdirSync(folder).sort()).toEqual(filesBefore);
			});

			it('says why a file is refused, beside the other errors', async () => {
				const { admin, organisation: org } = await organisation(`Careful ${storage}`);
				const result = await updateOrganisation(
					ctx.db,
					admin,
					org.id,
					{ ...details(''), website: '' },
					testPictureField(store, new File(['hello'], 'logo.png', { type: 'image/png' }))
				);
				expect(result).toMatchObject({
					ok: false,
					reason: 'invalid',
					errors: { name: expect.any(String), logo: expect.stringContaining('not a JPEG') }
				});
			});
		});
	}
});
