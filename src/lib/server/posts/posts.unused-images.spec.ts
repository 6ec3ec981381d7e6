import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { ImageStore } from '../uploads/image-store';
import { testPictureField } from '../uploads/uploads.testing';
import type { PostInput } from './posts.schema';
import { addPostImage, approvePost, removeUnusedPostImages, savePost } from './posts.service';

const ZONE = 'Europe/London';
const DAY = 24 * 60 * 60 * 1000;
const input = (body: string): PostInput => ({
	title: 'Our seed swap',
	body,
	themes: [],
	organisationId: '',
	eventId: '',
	publishAt: '',
	website: ''
});

describeEachDatabase('images uploaded for posts that no post shows', (ctx) => {
	let folder: string;
	let store: ImageStore;
	beforeAll(async () => {
		folder = await mkdtemp(path.join(tmpdir(), 'colab-post-images-'));
		store = new ImageStore(folder);
	});
	afterAll(async () => {
		await rm(folder, { recursive: true, force: true });
	});

	async function upload(author: SessionUser, body = '') {
		const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#a64' } })
			.png()
			.toBuffer();
		const added = await addPostImage(
			ctx.db,
			author,
			body,
			'Seeds in paper packets',
			testPictureField(store, new File([new Uint8Array(png)], 'seeds.png', { type: 'image/png' }))
		);
		if (!added.ok) throw new Error('not added');
		return added;
	}

	const imageRow = (id: string) =>
		ctx.db.selectFrom('image').select('id').where('id', '=', id).executeTakeFirst();
	const hasFiles = (id: string) => existsSync(path.join(folder, id));

	it('keeps images a post or an earlier version shows; removes a day-old one no post shows', async () => {
		const sam = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		// Shown by the post as it is now.
		const shown = await upload(sam, 'Bring seeds.');
		const saved = await savePost(ctx.db, sam, input(shown.body), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error('not saved');
		await approvePost(ctx.db, curator, saved.post.slug);
		// Shown only by an earlier version: the published post was edited and it was taken out.
		const earlier = await upload(sam, shown.body);
		await savePost(ctx.db, curator, input(earlier.body), {
			slug: saved.post.slug,
			intent: 'publish',
			timeZone: ZONE
		});
		await savePost(ctx.db, curator, input(shown.body), {
			slug: saved.post.slug,
			intent: 'publish',
			timeZone: ZONE
		});
		const versions = await ctx.db
			.selectFrom('post_version')
			.select('body')
			.where('post_id', '=', saved.post.id)
			.orderBy('version')
			.execute();
		expect(versions.map((v) => v.body.includes(earlier.imageId))).toEqual([false, true]);
		// Uploaded while writing, never saved in a post (an abandoned draft).
		const abandoned = await upload(sam, 'A draft I never saved.');
		// Taken out of a draft before it was saved again.
		const removedFromDraft = await upload(sam, 'Draft.');
		const draft = await savePost(ctx.db, sam, input(removedFromDraft.body), {
			intent: 'draft',
			timeZone: ZONE
		});
		if (!draft.ok) throw new Error('not saved');
		await savePost(ctx.db, sam, input('Draft, no picture now.'), {
			slug: draft.post.slug,
			intent: 'draft',
			timeZone: ZONE
		});

		const ids = [shown, earlier, abandoned, removedFromDraft].map((u) => u.imageId);
		for (const id of ids) expect(hasFiles(id)).toBe(true);

		// Within the day nothing goes: the author may still be writing.
		expect(await removeUnusedPostImages(ctx.db, store)).toEqual({ unusedImages: 0 });
		for (const id of ids) expect(await imageRow(id)).toBeDefined();

		// A day later, two instances run at once: each unused image goes once.
		const later = new Date(Date.now() + DAY + 60_000);
		const runs = await Promise.all([
			removeUnusedPostImages(ctx.db, store, later),
			removeUnusedPostImages(ctx.db, store, later)
		]);
		expect(runs.reduce((sum, r) => sum + r.unusedImages, 0)).toBe(2);

		expect(await imageRow(shown.imageId)).toBeDefined();
		expect(hasFiles(shown.imageId)).toBe(true);
		expect(await imageRow(earlier.imageId)).toBeDefined();
		expect(hasFiles(earlier.imageId)).toBe(true);
		for (const gone of [abandoned.imageId, removedFromDraft.imageId]) {
			expect(await imageRow(gone)).toBeUndefined();
			expect(hasFiles(gone)).toBe(false);
			expect(
				await ctx.db
					.selectFrom('image_variant')
					.select('image_id')
					.where('image_id', '=', gone)
					.execute()
			).toEqual([]);
		}
		// Nothing left to do on the next run.
		expect(await removeUnusedPostImages(ctx.db, store, later)).toEqual({ unusedImages: 0 });
	});
});
