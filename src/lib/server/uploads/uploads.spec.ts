import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { ImageStore, withPictureChange } from './image-store';
import { pictureKind, processPicture, variantWidths, type ProcessedPicture } from './images';
import { readPictureEntry, readPictureUpload, uploadLimit } from './uploads';

const MB = 1024 * 1024;

/** A photo as a phone saves it: EXIF with the camera, the place it was taken, and a turn. */
async function phonePhoto(width = 1600, height = 1200): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: '#3a7' } })
		.jpeg()
		.withExif({
			IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '51/1 30/1 2600/100',
				GPSLongitudeRef: 'W',
				GPSLongitude: '0/1 7/1 4000/100'
			}
		})
		.withMetadata({ orientation: 6 })
		.toBuffer();
}

async function png(width = 500, height = 300): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 4, background: '#ffcc00' } })
		.png()
		.toBuffer();
}

function file(bytes: Uint8Array | string, name: string, type = 'image/jpeg'): File {
	return new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type });
}

function form(field: string, value: File | string): FormData {
	const data = new FormData();
	data.append(field, value);
	return data;
}

describe('pictures are checked by what they are, not what they are called', () => {
	it('knows JPEG, PNG, WebP and GIF by their first bytes', async () => {
		expect(pictureKind(await phonePhoto(40, 30))).toBe('jpeg');
		expect(pictureKind(await png(10, 10))).toBe('png');
		expect(
			pictureKind(
				await sharp(await png(10, 10))
					.webp()
					.toBuffer()
			)
		).toBe('webp');
		expect(pictureKind(new TextEncoder().encode('GIF89a…'))).toBe('gif');
		expect(pictureKind(new TextEncoder().encode('GIF90a…'))).toBeUndefined();
	});

	it('takes a GIF only where the caller allows it (posts), and refuses it elsewhere', async () => {
		const gif = await sharp(await png(10, 10))
			.gif()
			.toBuffer();
		const refused = await readPictureUpload(form('cover', file(gif, 'a.gif')), 'cover', 5 * MB);
		expect(refused).toEqual({
			kind: 'refused',
			message: expect.stringMatching(/^This file is not a JPEG, PNG or WebP picture\./)
		});
		const taken = await readPictureEntry(file(gif, 'a.gif'), 5 * MB, { allowGif: true });
		expect(taken.kind === 'new' && taken.picture.kind).toBe('gif');
		expect(taken.kind === 'new' && taken.picture.variants[0]?.contentType).toBe('image/webp');
	});

	it('refuses a text file called .jpg and sent as image/jpeg', async () => {
		const upload = await readPictureUpload(
			form('cover', file('Dear diary, today I', 'holiday.jpg')),
			'cover',
			5 * MB
		);
		expect(upload).toEqual({
			kind: 'refused',
			message: expect.stringMatching(
				/^This file is not a JPEG, PNG or WebP picture\..*Choose the file again/
			)
		});
	});

	it('takes a PNG called .webp and sent as image/webp, as the PNG it is', async () => {
		const upload = await readPictureUpload(
			form('cover', file(await png(), 'logo.webp', 'image/webp')),
			'cover',
			5 * MB
		);
		expect(upload.kind).toBe('new');
		if (upload.kind !== 'new') return;
		expect(upload.picture.kind).toBe('png');
		expect(upload.picture.variants.map((v) => [v.width, v.height])).toEqual([
			[320, 192],
			[500, 300]
		]);
	});

	it('refuses a damaged picture, a picture too large, and a file sent as text', async () => {
		const broken = (await png()).subarray(0, 200);
		expect(await processPicture(broken, { maxBytes: MB })).toEqual({
			ok: false,
			message: expect.stringContaining('may be damaged')
		});
		const big = await readPictureUpload(
			form('cover', file(Buffer.alloc(3 * MB, 1), 'big.jpg')),
			'cover',
			2 * MB
		);
		expect(big).toEqual({
			kind: 'refused',
			message: 'This picture is 3 MB. The most we take is 2 MB. Choose a smaller picture.'
		});
		expect((await readPictureUpload(form('cover', 'a'), 'cover', MB)).kind).toBe('refused');
	});

	it('takes no picture when none was chosen', async () => {
		expect(await readPictureUpload(form('cover', file('', '')), 'cover', MB)).toEqual({
			kind: 'none'
		});
		expect(await readPictureUpload(new FormData(), 'cover', MB)).toEqual({ kind: 'none' });
	});

	it('refuses a small file that would open as a huge picture', async () => {
		// 48 megapixels of one colour: a few hundred kilobytes, about 150 MB once opened.
		const bomb = await sharp({
			create: { width: 8000, height: 6000, channels: 3, background: '#000' }
		})
			.png({ compressionLevel: 9 })
			.toBuffer();
		expect(bomb.length).toBeLessThan(MB);
		expect(await processPicture(bomb, { maxBytes: 5 * MB })).toEqual({
			ok: false,
			message: expect.stringContaining('8000 by 6000 pixels, more than we can open')
		});
	});
});

describe('pictures are made again without their metadata', () => {
	it('removes location and camera, turns it upright, and makes the widths', async () => {
		const photo = await phonePhoto();
		const before = await sharp(photo).metadata();
		expect(before.exif?.toString('latin1')).toContain('PhoneMaker');
		expect(before.orientation).toBe(6);

		const result = await processPicture(photo, { maxBytes: 5 * MB });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		// Turned a quarter: 1200 wide once upright.
		expect(result.picture.variants.map((v) => [v.width, v.height])).toEqual([
			[320, 427],
			[640, 853],
			[1200, 1600]
		]);
		for (const variant of result.picture.variants) {
			const after = await sharp(variant.data).metadata();
			expect(after.format).toBe('webp');
			expect(after.exif).toBeUndefined();
			expect(after.xmp).toBeUndefined();
			expect(after.iptc).toBeUndefined();
			expect(after.orientation).toBeUndefined();
			expect(Buffer.from(variant.data).toString('latin1')).not.toContain('PhoneMaker');
		}
	});

	it('makes no width larger than the picture', () => {
		expect(variantWidths(200)).toEqual([200]);
		expect(variantWidths(640)).toEqual([320, 640]);
		expect(variantWidths(4000)).toEqual([320, 640, 1280]);
	});

	it('keeps the largest picture taken within what the server reads in one post', () => {
		expect(uploadLimit({ uploads: { maxBytes: 5 * MB, folder: undefined } }, 6 * MB)).toBe(5 * MB);
		expect(uploadLimit({ uploads: { maxBytes: 5 * MB, folder: undefined } }, 512 * 1024)).toBe(
			448 * 1024
		);
	});
});

const folders: string[] = [];
afterAll(() => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describeEachDatabase('where pictures are kept', (ctx) => {
	let picture: ProcessedPicture;

	async function aPicture(): Promise<ProcessedPicture> {
		if (picture) return picture;
		const result = await processPicture(await png(800, 400), { maxBytes: MB });
		if (!result.ok) throw new Error(result.message);
		return (picture = result.picture);
	}

	for (const storage of ['database', 'folder'] as const) {
		describe(`in the ${storage}`, () => {
			const folder =
				storage === 'folder' ? mkdtempSync(path.join(tmpdir(), 'colab-uploads-')) : undefined;
			if (folder) folders.push(folder);
			const store = new ImageStore(folder);

			it('keeps every width and gives it back to any reader', async () => {
				const saved = await withPictureChange(store, await aPicture(), async (change) =>
					ctx.db.transaction().execute(async (trx) => {
						const id = await change.save(trx);
						return { ok: true as const, id };
					})
				);
				const image = await ctx.db
					.selectFrom('image')
					.selectAll()
					.where('id', '=', saved.id)
					.executeTakeFirstOrThrow();
				expect(image).toMatchObject({ width: 800, height: 400, widths: '320,640,800', storage });
				const stored = await ctx.db
					.selectFrom('image_variant')
					.select(['width', 'data'])
					.where('image_id', '=', saved.id)
					.execute();
				expect(stored.every((v) => (v.data === null) === (storage === 'folder'))).toBe(true);
				if (folder)
					expect(readdirSync(path.join(folder, saved.id)).sort()).toEqual([
						'320.webp',
						'640.webp',
						'800.webp'
					]);
				// Another instance: its own store with the same setting, its own reads.
				const other = new ImageStore(folder);
				const read = await other.read(ctx.db, saved.id, 640);
				expect(read?.contentType).toBe('image/webp');
				expect((await sharp(read!.data).metadata()).width).toBe(640);
				expect(await other.read(ctx.db, saved.id, 1000)).toBeUndefined();
				expect(await other.read(ctx.db, '../../etc/passwd', 640)).toBeUndefined();
			});

			it('removes a replaced picture’s rows and files once the change is made', async () => {
				const first = await withPictureChange(store, await aPicture(), async (change) =>
					ctx.db
						.transaction()
						.execute(async (trx) => ({ ok: true as const, id: await change.save(trx) }))
				);
				await withPictureChange(store, await aPicture(), async (change) =>
					ctx.db.transaction().execute(async (trx) => {
						await change.save(trx);
						await change.retire(trx, first.id);
						return { ok: true as const };
					})
				);
				expect(await store.read(ctx.db, first.id, 320)).toBeUndefined();
				const variants = await ctx.db
					.selectFrom('image_variant')
					.select('width')
					.where('image_id', '=', first.id)
					.execute();
				expect(variants).toEqual([]);
				if (folder) expect(readdirSync(folder)).not.toContain(first.id);
			});

			it('leaves nothing behind when the change does not happen', async () => {
				let staged: string | undefined;
				const before = folder ? readdirSync(folder).length : 0;
				await expect(
					withPictureChange(store, await aPicture(), async (change) =>
						ctx.db.transaction().execute(async (trx) => {
							staged = await change.save(trx);
							throw new Error('something else went wrong');
						})
					)
				).rejects.toThrow('something else went wrong');
				const refused = await withPictureChange(store, await aPicture(), async (change) => {
					staged = change.newId;
					return { ok: false as const };
				});
				expect(refused.ok).toBe(false);
				expect(await store.read(ctx.db, staged!, 320)).toBeUndefined();
				if (folder) expect(readdirSync(folder).length).toBe(before);
			});
		});
	}
});
