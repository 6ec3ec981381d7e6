import sharp from 'sharp';
import { expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { createOrganisation } from '../organisations/organisations.service';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { ImageStore } from '../uploads/image-store';
import { testPictureField } from '../uploads/uploads.testing';
import type { PostInput } from './posts.schema';
import {
	addPostImage,
	ALT_TEXT_MISSING,
	approvePost,
	declinePost,
	featurePost,
	lineDiff,
	listMyPosts,
	listReviewQueue,
	postHistory,
	renderPostBody,
	savePost,
	unpublishPost,
	writePostSettings,
	POSTING_RATE
} from './posts.service';
import { consumeRateLimit } from '../rate-limit/rate-limit.service';
import { addTheme, setThemeStatus, themesPage } from './themes.service';

const ZONE = 'Europe/London';
const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };

function input(overrides: Partial<PostInput> = {}): PostInput {
	return {
		title: 'What we learned at the harvest',
		body: 'We met at the café.\n\n## What we grew\n\n- squash\n- beans',
		themes: [],
		organisationId: '',
		eventId: '',
		publishAt: '',
		website: '',
		...overrides
	};
}

describeEachDatabase('writing posts', (ctx) => {
	const person = (role: SessionUser['role'] = 'member') => createTestUser(ctx.db, { role });

	async function publishedOnce(author: SessionUser, curator: SessionUser) {
		const first = await savePost(ctx.db, author, input({ title: 'First' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!first.ok) throw new Error('not saved');
		await approvePost(ctx.db, curator, first.post.slug);
		return first.post;
	}

	it('saves a draft that only its author and curators can find, at an address from its title', async () => {
		const sam = await person();
		const result = await savePost(ctx.db, sam, input(), { intent: 'draft', timeZone: ZONE });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.post.slug).toBe('what-we-learned-at-the-harvest');
		expect(result.post.status).toBe('draft');
		expect(result.post.published_at).toBeNull();
		expect(result.post.word_count).toBe(10);
		const again = await savePost(ctx.db, sam, input(), { intent: 'draft', timeZone: ZONE });
		expect(again.ok && again.post.slug).toBe('what-we-learned-at-the-harvest-2');
		const mine = await listMyPosts(ctx.db, sam, 1);
		expect(mine.total).toBe(2);
		expect(mine.posts.map((p) => p.statusLabel)).toEqual(['Draft', 'Draft']);
	});

	it('a member’s first post waits for a curator; after one is approved, the next publishes at once', async () => {
		const sam = await person();
		const curator = await person('curator');
		const first = await savePost(ctx.db, sam, input(), { intent: 'publish', timeZone: ZONE });
		expect(first.ok && first.waiting).toBe(true);
		expect(first.ok && first.post.status).toBe('waiting');
		const queue = await listReviewQueue(ctx.db, curator, 1);
		expect(queue.rows.map((r) => r.id)).toContain(first.ok && first.post.id);
		await expect(approvePost(ctx.db, sam, first.ok ? first.post.slug : '')).rejects.toThrow(
			ForbiddenError
		);
		const approved = await approvePost(ctx.db, curator, first.ok ? first.post.slug : '');
		expect(approved?.status).toBe('published');
		expect(approved?.published_at).not.toBeNull();

		const second = await savePost(ctx.db, sam, input({ title: 'Second' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(second.ok && second.post.status).toBe('published');
		expect(second.ok && second.waiting).toBe(false);
	});

	it('tells the author of a curator’s decision in their notifications', async () => {
		const sam = await person();
		const curator = await person('curator');
		const post = await publishedOnce(sam, curator);
		const told = await ctx.db
			.selectFrom('notification')
			.select(['kind', 'subject_key', 'title', 'url'])
			.where('recipient_id', '=', sam.id)
			.execute();
		expect(told).toEqual([
			{
				kind: 'content-decision',
				subject_key: `post:${post.id}`,
				title: 'A curator published your post “First”.',
				url: `/blog/${post.slug}`
			}
		]);
	});

	it('a member a curator has paused cannot publish, but keeps their words as a draft', async () => {
		const sam = await person();
		const curator = await person('curator');
		await publishedOnce(sam, curator);
		const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
		await ctx.db
			.insertInto('posting_suspension')
			.values({
				id: `s-${sam.id}`,
				user_id: sam.id,
				ends_at: until,
				created_by: curator.id,
				created_at: new Date().toISOString()
			})
			.execute();
		const refused = await savePost(ctx.db, sam, input({ title: 'Paused' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.status).toBe(403);
		expect(!refused.ok && refused.errors.form).toMatch(/^A curator has paused your posting until/);
		const draft = await savePost(ctx.db, sam, input({ title: 'Paused' }), {
			intent: 'draft',
			timeZone: ZONE
		});
		expect(draft.ok && draft.post.status).toBe('draft');
	});

	it('the number of posts that wait is a setting; curators publish straight away', async () => {
		const curator = await person('curator');
		await writePostSettings(ctx.db, curator, { firstPostsWait: 0, linkLimit: 5 });
		const sam = await person();
		const result = await savePost(ctx.db, sam, input(), { intent: 'publish', timeZone: ZONE });
		expect(result.ok && result.post.status).toBe('published');
		await expect(
			writePostSettings(ctx.db, sam, { firstPostsWait: 0, linkLimit: 0 })
		).rejects.toThrow(ForbiddenError);
		const own = await savePost(ctx.db, curator, input(), { intent: 'publish', timeZone: ZONE });
		expect(own.ok && own.post.status).toBe('published');
		await writePostSettings(ctx.db, curator, { firstPostsWait: 1, linkLimit: 5 });
	});

	it('a new member’s post with many links waits even after their first was approved', async () => {
		const sam = await person();
		const curator = await person('curator');
		await publishedOnce(sam, curator);
		const links = Array.from({ length: 6 }, (_, i) => `[link ${i}](https://spam${i}.test)`).join(
			' '
		);
		const result = await savePost(ctx.db, sam, input({ body: links }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(result.ok && result.post.status).toBe('waiting');
		const few = await savePost(ctx.db, sam, input({ body: 'One [link](https://a.test).' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(few.ok && few.post.status).toBe('published');
	});

	it('refuses to publish an image without alt text, with the message beside the body, and keeps the draft', async () => {
		const sam = await person();
		const body = 'Look:\n\n![](/media/AAAAAAAAAAAAAAAAAAAAAA/640.webp)';
		const refused = await savePost(ctx.db, sam, input({ body }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(refused).toEqual({ ok: false, errors: { body: ALT_TEXT_MISSING } });
		// A draft may be saved with it: advice only until publishing.
		const draft = await savePost(ctx.db, sam, input({ body }), { intent: 'draft', timeZone: ZONE });
		expect(draft.ok).toBe(true);
	});

	it('schedules a post for later: published, with published_at in the future', async () => {
		const sam = await person();
		const curator = await person('curator');
		await publishedOnce(sam, curator);
		const result = await savePost(ctx.db, sam, input({ publishAt: '2099-03-01T09:30' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(result.ok && result.scheduled).toBe(true);
		expect(result.ok && result.post.status).toBe('published');
		expect(result.ok && result.post.published_at).toBe('2099-03-01T09:30:00.000Z');
		const mine = await listMyPosts(ctx.db, sam, 1);
		expect(mine.posts.find((p) => p.id === (result.ok && result.post.id))?.statusLabel).toBe(
			'Scheduled'
		);
		const past = await savePost(ctx.db, sam, input({ publishAt: '2001-03-01T09:30' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		expect(past.ok).toBe(false);
		expect(!past.ok && past.errors.publishAt).toMatch(/future/);
	});

	it('keeps every earlier version of a published post, and shows what changed', async () => {
		const sam = await person();
		const curator = await person('curator');
		const post = await publishedOnce(sam, curator);
		const edited = await savePost(
			ctx.db,
			sam,
			input({
				title: 'First',
				body: 'We met at the café.\n\n## What we grew\n\n- squash\n- leeks'
			}),
			{ slug: post.slug, intent: 'draft', timeZone: ZONE }
		);
		expect(edited.ok && edited.post.version).toBe(2);
		expect(edited.ok && edited.post.status).toBe('published');
		const history = await postHistory(ctx.db, sam, post.slug);
		expect(history?.entries.map((e) => e.version)).toEqual([2, 1]);
		expect(history?.entries[0]?.changes?.filter((l) => l.kind !== 'same')).toEqual([
			{ kind: 'removed', text: '- beans' },
			{ kind: 'added', text: '- leeks' }
		]);
		const ali = await person();
		await expect(postHistory(ctx.db, ali, post.slug)).rejects.toThrow(ForbiddenError);
		expect((await postHistory(ctx.db, curator, post.slug))?.entries).toHaveLength(2);
	});

	it('records who saved each version: a curator’s edit is theirs, not the author’s', async () => {
		const sam = await createTestUser(ctx.db, { name: 'Sam Author' });
		const cleo = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const post = await publishedOnce(sam, cleo);
		const edit = (actor: SessionUser, body: string) =>
			savePost(ctx.db, actor, input({ title: 'First', body }), {
				slug: post.slug,
				intent: 'draft',
				timeZone: ZONE
			});
		expect((await edit(cleo, 'Tidied by a curator.')).ok).toBe(true);
		expect((await edit(sam, 'Written again by Sam.')).ok).toBe(true);

		const versions = await ctx.db
			.selectFrom('post_version')
			.select(['version', 'edited_by'])
			.where('post_id', '=', post.id)
			.orderBy('version')
			.execute();
		expect(versions).toEqual([
			{ version: 1, edited_by: sam.id },
			{ version: 2, edited_by: cleo.id }
		]);
		const history = await postHistory(ctx.db, sam, post.slug);
		expect(history?.entries.map((e) => [e.version, e.editorName])).toEqual([
			[3, 'Sam Author'],
			[2, 'Cleo Curator'],
			[1, 'Sam Author']
		]);
	});

	it('refuses another member editing or unpublishing a post; its author and curators can', async () => {
		const sam = await person();
		const ali = await person();
		const curator = await person('curator');
		const post = await publishedOnce(sam, curator);
		await expect(
			savePost(ctx.db, ali, input({ title: 'Mine now' }), {
				slug: post.slug,
				intent: 'draft',
				timeZone: ZONE
			})
		).rejects.toThrow(ForbiddenError);
		await expect(unpublishPost(ctx.db, ali, post.slug)).rejects.toThrow(ForbiddenError);
		expect((await unpublishPost(ctx.db, sam, post.slug))?.status).toBe('unpublished');
		const row = await ctx.db
			.selectFrom('post')
			.select('title')
			.where('id', '=', post.id)
			.executeTakeFirst();
		expect(row?.title).toBe('First');
	});

	it('writes on behalf of an organisation only for its members', async () => {
		const sam = await person();
		const ali = await person();
		const made = await createOrganisation(ctx.db, sam, {
			name: `Harvest Café ${Math.random().toString(36).slice(2, 6)}`,
			description: 'A café that grows food together.',
			website: 'www.example.org'
		});
		if (!made.ok) throw new Error('no organisation');
		const refused = await savePost(ctx.db, ali, input({ organisationId: made.organisation.id }), {
			intent: 'draft',
			timeZone: ZONE
		});
		expect(!refused.ok && refused.errors.organisationId).toMatch(/belong to/);
		const allowed = await savePost(ctx.db, sam, input({ organisationId: made.organisation.id }), {
			intent: 'draft',
			timeZone: ZONE
		});
		expect(allowed.ok && allowed.post.organisation_id).toBe(made.organisation.id);
	});

	it('a curator declines with a reason the author gets by email; only curators feature', async () => {
		const sam = await person();
		const curator = await person('curator');
		const waiting = await savePost(ctx.db, sam, input(), { intent: 'publish', timeZone: ZONE });
		if (!waiting.ok) throw new Error('not saved');
		await expect(declinePost(ctx.db, sam, waiting.post.slug, 'No', SITE)).rejects.toThrow(
			ForbiddenError
		);
		const declined = await declinePost(
			ctx.db,
			curator,
			waiting.post.slug,
			'Please remove the phone number.',
			SITE
		);
		expect(declined?.status).toBe('declined');
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select(['kind', 'user_id'])
			.where('kind', '=', 'posts.declined')
			.where('user_id', '=', sam.id)
			.execute();
		expect(mail).toHaveLength(1);

		const post = await publishedOnce(sam, curator);
		await expect(featurePost(ctx.db, sam, post.slug, true)).rejects.toThrow(ForbiddenError);
		expect((await featurePost(ctx.db, curator, post.slug, true))?.featured_at).not.toBeNull();
	});

	it('themes: a member suggests one, which waits; a curator accepts and retires it', async () => {
		const sam = await person();
		const curator = await person('curator');
		const suggested = await addTheme(ctx.db, sam, { name: 'Growing food', description: '' });
		expect(suggested.ok && suggested.theme.status).toBe('suggested');
		expect((await themesPage(ctx.db, sam)).active.map((t) => t.name)).not.toContain('Growing food');
		const id = suggested.ok ? suggested.theme.id : '';
		await expect(setThemeStatus(ctx.db, sam, id, 'active')).rejects.toThrow(ForbiddenError);
		expect((await setThemeStatus(ctx.db, curator, id, 'active'))?.status).toBe('active');
		const again = await addTheme(ctx.db, curator, { name: 'growing FOOD', description: '' });
		expect(!again.ok && again.errors.name).toMatch(/already/);
		// A post may use it while active; once retired it is no longer offered.
		const post = await savePost(ctx.db, sam, input({ themes: [id] }), {
			intent: 'draft',
			timeZone: ZONE
		});
		expect(post.ok).toBe(true);
		await setThemeStatus(ctx.db, curator, id, 'retired');
		const later = await savePost(ctx.db, sam, input({ themes: [id] }), {
			intent: 'draft',
			timeZone: ZONE
		});
		expect(!later.ok && later.errors.themes).toMatch(/no longer offered/);
	});

	it('adds an image (alt text required), records it and keeps the first image up to date; a fake image is refused with the text kept', async () => {
		const sam = await person();
		const store = new ImageStore(undefined);
		const photo = new File(
			[
				new Uint8Array(
					await sharp({ create: { width: 700, height: 400, channels: 3, background: '#484' } })
						.png()
						.toBuffer()
				)
			],
			'field.png',
			{ type: 'image/png' }
		);
		const noAlt = await addPostImage(ctx.db, sam, 'My text', '', testPictureField(store, photo));
		expect(!noAlt.ok && noAlt.errors.imageAlt).toMatch(/Describe the image/);
		const fake = new File(['<html><script>alert(1)</script></html>'], 'photo.jpg', {
			type: 'image/jpeg'
		});
		const refused = await addPostImage(
			ctx.db,
			sam,
			'My text',
			'A page',
			testPictureField(store, fake)
		);
		expect(!refused.ok && refused.errors.image).toMatch(/not a JPEG, PNG, WebP or GIF/);

		const added = await addPostImage(
			ctx.db,
			sam,
			'My text',
			'Squash [in] the field',
			testPictureField(store, photo)
		);
		if (!added.ok) throw new Error('not added');
		expect(added.body).toBe(
			`My text\n\n![Squash  in  the field](/media/${added.imageId}/700.webp)\n`
		);
		const saved = await savePost(ctx.db, sam, input({ body: added.body }), {
			intent: 'draft',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error('not saved');
		expect(saved.post.first_image_id).toBe(added.imageId);
		const recorded = await ctx.db
			.selectFrom('post_image')
			.select('image_id')
			.where('post_id', '=', saved.post.id)
			.execute();
		expect(recorded).toEqual([{ image_id: added.imageId }]);
		const cleared = await savePost(ctx.db, sam, input({ body: 'No picture now' }), {
			slug: saved.post.slug,
			intent: 'draft',
			timeZone: ZONE
		});
		expect(cleared.ok && cleared.post.first_image_id).toBeNull();
	});

	it('limits how often a member saves: past the limit, a clear message and nothing saved', async () => {
		const sam = await person();
		const now = new Date();
		for (let i = 0; i < POSTING_RATE.limit; i++)
			await consumeRateLimit(ctx.db, `posts.write:user:${sam.id}`, POSTING_RATE, now);
		const refused = await savePost(ctx.db, sam, input(), { intent: 'draft', timeZone: ZONE });
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.status).toBe(429);
		expect(!refused.ok && refused.errors.form).toMatch(
			/Wait .* and try again; your text is still here/
		);
		expect((await listMyPosts(ctx.db, sam, 1)).total).toBe(0);
	});

	it('takes a moving GIF and keeps it moving as animated WebP', async () => {
		const sam = await person();
		const frames = await Promise.all(
			['#f00', '#0f0', '#00f'].map((background) =>
				sharp({ create: { width: 40, height: 30, channels: 3, background } })
					.png()
					.toBuffer()
			)
		);
		const animated = await sharp(frames, { join: { animated: true } })
			.gif({ loop: 0 })
			.toBuffer();
		const file = new File([new Uint8Array(animated)], 'moving.gif', { type: 'image/gif' });
		const added = await addPostImage(
			ctx.db,
			sam,
			'',
			'Three colours',
			testPictureField(new ImageStore(undefined), file)
		);
		if (!added.ok) throw new Error(JSON.stringify(added.errors));
		const variant = await ctx.db
			.selectFrom('image_variant')
			.select(['data', 'height', 'width'])
			.where('image_id', '=', added.imageId)
			.executeTakeFirstOrThrow();
		expect(variant.height).toBe(30);
		const meta = await sharp(Buffer.from(variant.data!), { animated: true }).metadata();
		expect(meta.format).toBe('webp');
		expect(meta.pages).toBe(3);
	});
});

it('renders a post’s own images as pictures, escapes their alt text, and keeps everything else inert', () => {
	const id = 'AAAAAAAAAAAAAAAAAAAAAA';
	const html = renderPostBody(
		`![A "quoted" <b>field</b>](/media/${id}/640.webp)\n\n![x](https://tracker.test/p.gif)\n\n<script>alert(1)</script> [bad](javascript:alert(1))`,
		new Map([[id, { widths: '320,640', width: 640, height: 400 }]])
	);
	expect(html).toContain(
		`<img src="/media/${id}/640.webp" srcset="/media/${id}/320.webp 320w, /media/${id}/640.webp 640w"`
	);
	expect(html).toContain('alt="A &quot;quoted&quot; &lt;b&gt;field&lt;/b&gt;"');
	expect(html).not.toContain('<script');
	expect(html).not.toContain('href="javascript');
	expect(html).not.toContain('<img src="https://tracker');
	// A marker typed into the text is only text.
	expect(renderPostBody('colabimage0x')).toBe('<p>colabimage0x</p>');
});

it('diffs lines: kept, removed and added', () => {
	expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
		{ kind: 'same', text: 'a' },
		{ kind: 'removed', text: 'b' },
		{ kind: 'same', text: 'c' },
		{ kind: 'added', text: 'd' }
	]);
});
