import sharp from 'sharp';
import { expect, it } from 'vitest';
import { seedDemo } from '../demo/demo';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { ImageStore } from '../uploads/image-store';
import { testPictureField } from '../uploads/uploads.testing';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { DEMO_POSTS, DEMO_THEMES } from './posts.demo';
import type { PostInput } from './posts.schema';
import { addPostImage, approvePost, savePost } from './posts.service';
import { addTheme } from './themes.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };
const ZONE = 'Europe/London';
const input = (overrides: Partial<PostInput> = {}): PostInput => ({
	title: 'My garden',
	body: 'Beans and squash.',
	themes: [],
	organisationId: '',
	eventId: '',
	publishAt: '',
	website: '',
	...overrides
});

describeEachDatabase('posts in "your data"', (ctx) => {
	async function writer() {
		const sam = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const photo = new File(
			[
				new Uint8Array(
					await sharp({ create: { width: 50, height: 40, channels: 3, background: '#6a4' } })
						.png()
						.toBuffer()
				)
			],
			'p.png',
			{ type: 'image/png' }
		);
		const added = await addPostImage(
			ctx.db,
			sam,
			'Beans.',
			'Beans on a cane',
			testPictureField(new ImageStore(undefined), photo)
		);
		if (!added.ok) throw new Error('no image');
		const saved = await savePost(ctx.db, sam, input({ body: added.body }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error('not saved');
		await approvePost(ctx.db, curator, saved.post.slug);
		await savePost(ctx.db, sam, input({ body: `${added.body}\nMore.` }), {
			slug: saved.post.slug,
			intent: 'draft',
			timeZone: ZONE
		});
		await addTheme(ctx.db, sam, { name: `Gardens ${sam.id.slice(0, 5)}`, description: '' });
		return { sam, post: saved.post, imageId: added.imageId };
	}

	it('exports the posts, earlier versions and suggested themes', async () => {
		const { sam, post } = await writer();
		const data = (await exportPersonData(ctx.db, sam.id)) as unknown as Record<
			string,
			Record<string, unknown[]>
		>;
		const json = JSON.stringify(data);
		expect(json).toContain(post.slug);
		expect(json).toContain('postsYouWrote');
		expect(json).toContain('earlierVersionsOfYourPosts');
		expect(json).toContain(`Gardens ${sam.id.slice(0, 5)}`);
	});

	it('deleting the account keeps posts without the name, when chosen', async () => {
		const { sam, post } = await writer();
		await deleteAccount(ctx.db, sam.id, { contributions: 'keep-as-former-member', site: SITE });
		const row = await ctx.db
			.selectFrom('post')
			.select(['author_id', 'status'])
			.where('id', '=', post.id)
			.executeTakeFirst();
		expect(row).toEqual({ author_id: null, status: 'published' });
	});

	it('a curator who edited a post leaves: the post stays, without their name as its editor', async () => {
		const { sam, post } = await writer();
		const cleo = await createTestUser(ctx.db, { role: 'curator' });
		const edited = await savePost(ctx.db, cleo, input({ body: 'Tidied.' }), {
			slug: post.slug,
			intent: 'draft',
			timeZone: ZONE
		});
		expect(edited.ok).toBe(true);
		const exported = JSON.stringify(await exportPersonData(ctx.db, cleo.id));
		expect(exported).toContain('Tidied.');
		await deleteAccount(ctx.db, cleo.id, { contributions: 'remove', site: SITE });
		const row = await ctx.db
			.selectFrom('post')
			.select(['author_id', 'edited_by', 'body'])
			.where('id', '=', post.id)
			.executeTakeFirst();
		expect(row).toEqual({ author_id: sam.id, edited_by: null, body: 'Tidied.' });
	});

	it('deleting the account removes the posts and their images, when chosen', async () => {
		const { sam, post, imageId } = await writer();
		await deleteAccount(ctx.db, sam.id, { contributions: 'remove', site: SITE });
		expect(
			await ctx.db.selectFrom('post').select('id').where('id', '=', post.id).executeTakeFirst()
		).toBeUndefined();
		expect(
			await ctx.db
				.selectFrom('post_version')
				.select('post_id')
				.where('post_id', '=', post.id)
				.execute()
		).toEqual([]);
		expect(
			await ctx.db.selectFrom('image').select('id').where('id', '=', imageId).executeTakeFirst()
		).toBeUndefined();
	});

	it('the demo has posts across themes, one per organisation and one from a café’s harvest, and can run twice', async () => {
		await seedDemo(ctx.db);
		await seedDemo(ctx.db);
		const posts = await ctx.db
			.selectFrom('post')
			.select(['id', 'organisation_id', 'event_id', 'status'])
			.where(
				'id',
				'in',
				DEMO_POSTS.map((p) => p.id)
			)
			.execute();
		expect(posts).toHaveLength(DEMO_POSTS.length);
		expect(posts.filter((p) => p.organisation_id).length).toBe(4);
		expect(posts.find((p) => p.id === 'demo-post-cafe-harvest')?.event_id).toBe(
			'demo-past-cafe-transport'
		);
		const themes = await ctx.db.selectFrom('post_theme').select('theme_id').distinct().execute();
		expect(themes.length).toBe(DEMO_THEMES.length);
	});
});
