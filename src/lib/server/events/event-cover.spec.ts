import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { ImageStore } from '../uploads/image-store';
import type { PictureField } from '../uploads/uploads';
import { listEvents, parseEventFilters } from './events.queries';
import { createEvent, eventCover, updateEvent } from './events.service';
import { eventValues, testMember, TEST_SITE } from './events.testing';

const MB = 1024 * 1024;
const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function photo(): Promise<File> {
	const bytes = await sharp({
		create: { width: 900, height: 600, channels: 3, background: '#48a' }
	})
		.jpeg()
		.withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
		.toBuffer();
	return new File([new Uint8Array(bytes)], 'cover.jpg', { type: 'image/jpeg' });
}

describeEachDatabase('event covers', (ctx) => {
	for (const storage of ['database', 'folder'] as const) {
		describe(`kept in the ${storage}`, () => {
			const folder =
				storage === 'folder' ? mkdtempSync(path.join(tmpdir(), 'colab-covers-')) : undefined;
			if (folder) folders.push(folder);
			const store = new ImageStore(folder);
			const field = async (entry?: FormDataEntryValue): Promise<PictureField> => ({
				store,
				entry: entry ?? (await photo()),
				limit: 5 * MB
			});
			const imageCount = async () =>
				Number(
					(
						await ctx.db
							.selectFrom('image')
							.select((eb) => eb.fn.countAll().as('n'))
							.executeTakeFirstOrThrow()
					).n
				);
			const files = () => (folder ? readdirSync(folder).sort() : []);

			it('a host adds a cover with its description; lists and the page show it', async () => {
				const host = await testMember(ctx.db, 'curator');
				const title = `Covered ${storage}`;
				const result = await createEvent(
					ctx.db,
					TEST_SITE,
					host,
					eventValues({ title, coverAlt: 'People round a table' }),
					undefined,
					await field()
				);
				expect(result.ok).toBe(true);
				if (!result.ok) return;
				expect(result.event.cover_alt).toBe('People round a table');
				const cover = await eventCover(ctx.db, result.event);
				expect(cover).toMatchObject({ width: 900, height: 600, alt: 'People round a table' });
				expect(cover!.srcset).toBe(
					[320, 640, 900]
						.map((w) => `/media/${result.event.cover_image_id}/${w}.webp ${w}w`)
						.join(', ')
				);
				const stored = await store.read(ctx.db, result.event.cover_image_id!, 900);
				expect((await sharp(stored!.data).metadata()).exif).toBeUndefined();
				if (folder) expect(files()).toContain(result.event.cover_image_id);

				const list = await listEvents(ctx.db, {
					when: 'upcoming',
					filters: parseEventFilters(new URLSearchParams({ q: title })),
					position: { page: 1 },
					timeZone: 'Europe/London',
					now: '2030-01-01T00:00:00.000Z'
				});
				expect(list?.items[0]).toMatchObject({
					title,
					cover_id: result.event.cover_image_id,
					cover_widths: '320,640,900',
					cover_alt: 'People round a table'
				});
			});

			it('asks for a description, and refuses a file that is not a picture; stores nothing', async () => {
				const host = await testMember(ctx.db, 'curator');
				const before = [await imageCount(), files()];
				const noAlt = await createEvent(
					ctx.db,
					TEST_SITE,
					host,
					eventValues({ title: '' }),
					undefined,
					await field()
				);
				expect(noAlt).toMatchObject({
					ok: false,
					errors: {
						title: expect.any(String),
						coverAlt: expect.stringContaining('Describe the cover picture')
					}
				});
				const text = new File(['not a picture'], 'cover.jpg', { type: 'image/jpeg' });
				const wrong = await createEvent(
					ctx.db,
					TEST_SITE,
					host,
					eventValues({ coverAlt: 'A picture' }),
					undefined,
					await field(text)
				);
				expect(wrong).toMatchObject({
					ok: false,
					errors: { cover: expect.stringContaining('not a JPEG, PNG or WebP picture') }
				});
				const big = await createEvent(
					ctx.db,
					TEST_SITE,
					host,
					eventValues({ coverAlt: 'A picture' }),
					undefined,
					{ ...(await field()), limit: 1000 }
				);
				expect(big).toMatchObject({
					ok: false,
					errors: { cover: expect.stringMatching(/The most we take is 1000 bytes/) }
				});
				expect([await imageCount(), files()]).toEqual(before);
			});

			it('refuses someone who may not edit the event, before opening the picture', async () => {
				const host = await testMember(ctx.db, 'curator');
				const made = await createEvent(ctx.db, TEST_SITE, host, eventValues());
				if (!made.ok) throw new Error('not made');
				const stranger = await testMember(ctx.db);
				const before = [await imageCount(), files()];
				await expect(
					updateEvent(
						ctx.db,
						TEST_SITE,
						stranger,
						made.event.id,
						eventValues({ coverAlt: 'Mine now' }),
						undefined,
						await field()
					)
				).rejects.toBeInstanceOf(ForbiddenError);
				expect([await imageCount(), files()]).toEqual(before);
			});

			it('replacing or removing a cover deletes the old one', async () => {
				const host = await testMember(ctx.db, 'curator');
				const made = await createEvent(
					ctx.db,
					TEST_SITE,
					host,
					eventValues({ coverAlt: 'First' }),
					undefined,
					await field()
				);
				if (!made.ok) throw new Error('not made');
				const first = made.event.cover_image_id!;
				const replaced = await updateEvent(
					ctx.db,
					TEST_SITE,
					host,
					made.event.id,
					eventValues({ coverAlt: 'Second' }),
					undefined,
					await field()
				);
				if (!replaced.ok) throw new Error(JSON.stringify(replaced));
				const second = replaced.event.cover_image_id!;
				expect(second).not.toBe(first);
				expect(await store.read(ctx.db, first, 320)).toBeUndefined();
				expect(files()).not.toContain(first);

				// Kept when the form sends no file; its description can change.
				const kept = await updateEvent(
					ctx.db,
					TEST_SITE,
					host,
					made.event.id,
					eventValues({ coverAlt: 'Second, described better' }),
					undefined,
					await field(new File([], ''))
				);
				expect(kept).toMatchObject({
					ok: true,
					event: { cover_image_id: second, cover_alt: 'Second, described better' }
				});
				const emptied = await updateEvent(
					ctx.db,
					TEST_SITE,
					host,
					made.event.id,
					eventValues({ coverAlt: '' }),
					undefined,
					await field(new File([], ''))
				);
				expect(emptied).toMatchObject({ ok: false, errors: { coverAlt: expect.any(String) } });

				const removed = await updateEvent(
					ctx.db,
					TEST_SITE,
					host,
					made.event.id,
					eventValues({ removeCover: 'yes' }),
					undefined,
					await field(new File([], ''))
				);
				expect(removed).toMatchObject({
					ok: true,
					event: { cover_image_id: null, cover_alt: null }
				});
				expect(await store.read(ctx.db, second, 320)).toBeUndefined();
				expect(files()).not.toContain(second);
			});
		});
	}
});
