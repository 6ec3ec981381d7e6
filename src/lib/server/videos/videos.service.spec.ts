import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { ForbiddenError } from '../refusals';
import { createTestUser } from '../testing/factories';
import { describeEachDatabase } from '../testing/databases';
import type { SessionUser } from '../auth/auth.types';
import { canManagePostVideo } from './videos.permissions';
import { postVideo } from './videos.personal-data';
import {
	getVideoPage,
	removeVideo,
	saveVideo,
	videoFilesToRemoveWith,
	videoForPost,
	videoLimit,
	type VideoFiles
} from './videos.service';
import { VideoStore } from './video-files';
import { SAMPLE_CAPTIONS, sampleMp4, sampleWebm } from './videos.testing';

const NO_FILES: VideoFiles = { video: null, captions: null };
const YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

function file(bytes: Uint8Array<ArrayBuffer> | string, name: string, type = ''): File {
	return new File([bytes], name, { type });
}

async function addPost(db: Kysely<DB>, authorId: string | null) {
	const id = newId();
	const slug = `post-${id.slice(0, 8).toLowerCase()}`;
	const now = nowIso();
	await db
		.insertInto('post')
		.values({
			id,
			slug,
			author_id: authorId,
			organisation_id: null,
			event_id: null,
			title: 'Our first café',
			body: 'What we learnt.',
			word_count: 3,
			first_image_id: null,
			status: 'published',
			published_at: now,
			featured_at: null,
			comments_closed: 0,
			hidden_at: null,
			version: 1,
			created_at: now,
			updated_at: now
		})
		.execute();
	return { id, slug };
}

describe('who may change a post’s video', () => {
	const person = (id: string, role: SessionUser['role'] = 'member'): SessionUser => ({
		id,
		name: id,
		email: `${id}@example.test`,
		emailVerified: true,
		role
	});
	it('the post’s author and curators; not another member or a visitor', () => {
		expect(canManagePostVideo(person('ann'), { author_id: 'ann' })).toBe(true);
		expect(canManagePostVideo(person('cal', 'curator'), { author_id: 'ann' })).toBe(true);
		expect(canManagePostVideo(person('ada', 'administrator'), { author_id: 'ann' })).toBe(true);
		expect(canManagePostVideo(person('bob'), { author_id: 'ann' })).toBe(false);
		expect(canManagePostVideo(person('bob'), { author_id: null })).toBe(false);
		expect(canManagePostVideo(null, { author_id: 'ann' })).toBe(false);
	});
});

describeEachDatabase('videos', (ctx) => {
	let folder: string;
	let store: VideoStore;
	beforeAll(async () => {
		folder = await mkdtemp(path.join(tmpdir(), 'colab-videos-spec-'));
		// Where readConfig() puts videos for UPLOADS_DIR=<folder>, as account deletion finds them.
		store = new VideoStore(path.join(folder, 'videos'));
	});
	afterAll(async () => {
		await rm(folder, { recursive: true, force: true });
	});
	const files = async () => readdir(store.folder).catch(() => []);

	it('lets the author add a YouTube link with captions and a transcript, shown by videoForPost', async () => {
		const author = await createTestUser(ctx.db);
		const post = await addPost(ctx.db, author.id);
		const result = await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: YOUTUBE, transcript: '' },
			{
				video: null,
				captions: file(SAMPLE_CAPTIONS, 'talk.vtt')
			}
		);
		expect(result).toEqual({ ok: true });
		let page = await getVideoPage(ctx.db, author, post.slug);
		// No transcript yet: the author (only) is asked for one.
		expect(page?.askForTranscript).toBe(true);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		expect((await getVideoPage(ctx.db, curator, post.slug))?.askForTranscript).toBe(false);

		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: '', transcript: '## Welcome\n\nHello <script>x()</script>' },
			NO_FILES
		);
		page = await getVideoPage(ctx.db, author, post.slug);
		expect(page?.askForTranscript).toBe(false);
		const video = await videoForPost(ctx.db, post.id);
		expect(video).toMatchObject({
			kind: 'youtube',
			site: 'YouTube',
			title: 'Our first café',
			watchUrl: YOUTUBE,
			embedUrl: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0',
			src: null,
			captionsUrl: expect.stringMatching(/^\/media\/video\/[A-Za-z0-9_-]{22}\.vtt$/)
		});
		expect(video?.transcriptHtml).toContain('<h4>Welcome</h4>');
		expect(video?.transcriptHtml).not.toContain('<script');
		expect(await videoForPost(ctx.db, (await addPost(ctx.db, author.id)).id)).toBeNull();
	});

	it('refuses another member, for reading the page and for every change', async () => {
		const author = await createTestUser(ctx.db);
		const other = await createTestUser(ctx.db);
		const post = await addPost(ctx.db, author.id);
		await expect(getVideoPage(ctx.db, other, post.slug)).rejects.toThrow(ForbiddenError);
		await expect(
			saveVideo(ctx.db, store, 1_000_000, other, post.slug, { link: YOUTUBE }, NO_FILES)
		).rejects.toThrow(ForbiddenError);
		expect(await videoForPost(ctx.db, post.id)).toBeNull();
		await saveVideo(ctx.db, store, 1_000_000, author, post.slug, { link: YOUTUBE }, NO_FILES);
		await expect(removeVideo(ctx.db, store, other, post.slug)).rejects.toThrow(ForbiddenError);
		expect(await videoForPost(ctx.db, post.id)).not.toBeNull();
		// A curator may remove it.
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		expect(await removeVideo(ctx.db, store, curator, post.slug)).toEqual({
			ok: true,
			removed: true
		});
		expect(await videoForPost(ctx.db, post.id)).toBeNull();
		expect(await saveVideo(ctx.db, store, 1, author, 'no-such-post', {}, NO_FILES)).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('puts a message beside each bad field and saves nothing', async () => {
		const author = await createTestUser(ctx.db);
		const post = await addPost(ctx.db, author.id);
		const before = await files();
		const result = await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: 'https://example.org/clip', transcript: 'x'.repeat(60_001) },
			{ video: null, captions: file('1\n00:00:00,000 --> 00:00:01,000\nHi\n', 'talk.srt') }
		);
		expect(result.ok).toBe(false);
		if (result.ok || result.reason !== 'invalid') return;
		expect(Object.keys(result.errors)).toEqual(['link', 'captions', 'transcript']);
		expect(result.errors.link).toMatch(/YouTube, Vimeo and PeerTube only/);
		expect(result.errors.captions).toMatch(/WEBVTT/);
		expect(result.errors.transcript).toMatch(/up to 60,000 characters/);

		const nothing = await saveVideo(ctx.db, store, 1_000_000, author, post.slug, {}, NO_FILES);
		expect(nothing).toMatchObject({
			ok: false,
			errors: { link: expect.stringMatching(/Give a link/) }
		});

		const html = await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{},
			{
				video: file('<!DOCTYPE html><p>hi</p>', 'clip.mp4', 'video/mp4'),
				captions: null
			}
		);
		expect(html).toMatchObject({
			ok: false,
			errors: { file: expect.stringMatching(/not an MP4 or WebM/) }
		});
		const mp4 = sampleMp4(4000);
		const truncated = await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{},
			{
				video: file(mp4.subarray(0, 3000), 'clip.mp4'),
				captions: null
			}
		);
		expect(truncated).toMatchObject({
			ok: false,
			errors: { file: expect.stringMatching(/incomplete/) }
		});
		const large = await saveVideo(
			ctx.db,
			store,
			1000,
			author,
			post.slug,
			{},
			{
				video: file(mp4, 'clip.mp4'),
				captions: null
			}
		);
		expect(large).toMatchObject({
			ok: false,
			errors: { file: expect.stringMatching(/The most we take is 1000 bytes/) }
		});
		const both = await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: YOUTUBE },
			{
				video: file(mp4, 'clip.mp4'),
				captions: null
			}
		);
		expect(both).toMatchObject({ ok: false, errors: { file: expect.stringMatching(/not both/) } });
		expect(await videoForPost(ctx.db, post.id)).toBeNull();
		expect(await files()).toEqual(before);
	});

	it('keeps an upload as a file, replaces it with a new address, and removes it with the video', async () => {
		const author = await createTestUser(ctx.db);
		const post = await addPost(ctx.db, author.id);
		const before = (await files()).length;
		expect(
			await saveVideo(
				ctx.db,
				store,
				1_000_000,
				author,
				post.slug,
				{},
				{ video: file(sampleMp4(), 'a.mp4'), captions: file(SAMPLE_CAPTIONS, 'a.vtt') }
			)
		).toEqual({ ok: true });
		const first = await videoForPost(ctx.db, post.id);
		expect(first).toMatchObject({
			kind: 'upload',
			contentType: 'video/mp4',
			src: expect.stringMatching(/\.mp4$/)
		});
		expect((await files()).length).toBe(before + 1);

		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ removeCaptions: 'yes' },
			{ video: file(sampleWebm(), 'b.webm'), captions: null }
		);
		const second = await videoForPost(ctx.db, post.id);
		expect(second).toMatchObject({
			id: first!.id,
			kind: 'upload',
			contentType: 'video/webm',
			captionsUrl: null
		});
		expect(second!.src).not.toBe(first!.src);
		expect((await files()).length).toBe(before + 1);

		// Replaced by a link: the file goes.
		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: 'https://vimeo.com/76979871' },
			NO_FILES
		);
		expect((await files()).length).toBe(before);
		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{ link: '' },
			{ video: file(sampleWebm(), 'c.webm'), captions: null }
		);
		expect((await files()).length).toBe(before + 1);
		await removeVideo(ctx.db, store, author, post.slug);
		expect((await files()).length).toBe(before);
	});

	it('goes with its post, and its file once the deletion is done', async () => {
		const author = await createTestUser(ctx.db);
		const post = await addPost(ctx.db, author.id);
		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			post.slug,
			{},
			{ video: file(sampleMp4(), 'a.mp4'), captions: null }
		);
		const count = (await files()).length;
		const removeFiles = await ctx.db.transaction().execute(async (trx) => {
			const after = await videoFilesToRemoveWith(trx, store, [post.id]);
			await trx.deleteFrom('post').where('id', '=', post.id).execute();
			return after;
		});
		await removeFiles();
		expect(
			await ctx.db.selectFrom('post_video').where('post_id', '=', post.id).selectAll().execute()
		).toEqual([]);
		expect((await files()).length).toBe(count - 1);
	});

	it('is in the author’s download, and goes (or loses their name) when they leave', async () => {
		// A curator, who may also add videos to other people's posts.
		const author = await createTestUser(ctx.db, { role: 'curator' });
		const other = await createTestUser(ctx.db);
		const mine = await addPost(ctx.db, author.id);
		const theirs = await addPost(ctx.db, other.id);
		await saveVideo(
			ctx.db,
			store,
			1_000_000,
			author,
			mine.slug,
			{ transcript: 'Words' },
			{ video: file(sampleMp4(), 'a.mp4'), captions: null }
		);
		await saveVideo(ctx.db, store, 1_000_000, author, theirs.slug, { link: YOUTUBE }, NO_FILES);
		const exported = (await postVideo.export!(ctx.db, author)) as Array<Record<string, unknown>>;
		expect(exported).toHaveLength(2);
		expect(exported[0]).toMatchObject({
			post_slug: mine.slug,
			kind: 'upload',
			transcript: 'Words',
			addedByYou: true,
			file: expect.stringMatching(/^\/media\/video\//)
		});
		const count = (await files()).length;

		const afterCommit: Array<() => Promise<void>> = [];
		const uploads = process.env.UPLOADS_DIR;
		process.env.UPLOADS_DIR = folder;
		await ctx.db.transaction().execute(async (trx) => {
			const changed = await postVideo.erase(trx, {
				person: author,
				contributions: 'remove',
				site: { siteName: 'CoLab', origin: 'http://localhost' },
				afterCommit
			});
			expect(changed).toBe(2);
		});
		try {
			for (const work of afterCommit) await work();
		} finally {
			if (uploads === undefined) delete process.env.UPLOADS_DIR;
			else process.env.UPLOADS_DIR = uploads;
		}
		expect(await videoForPost(ctx.db, mine.id)).toBeNull();
		// The video they added to another member's post stays, without their name.
		const kept = await ctx.db
			.selectFrom('post_video')
			.select('added_by')
			.where('post_id', '=', theirs.id)
			.executeTakeFirst();
		expect(kept).toEqual({ added_by: null });
		expect((await files()).length).toBe(count - 1);
	});
});

describe('the video size limit', () => {
	it('is VIDEO_MAX_BYTES, unless the server reads less in one request', () => {
		const MB = 1024 * 1024;
		expect(videoLimit({ videos: { maxBytes: 200 * MB, folder: '/x' } }, 201 * MB)).toBe(200 * MB);
		expect(videoLimit({ videos: { maxBytes: 200 * MB, folder: '/x' } }, 6 * MB)).toBe(5 * MB);
	});
});
