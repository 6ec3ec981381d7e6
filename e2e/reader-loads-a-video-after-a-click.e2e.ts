import type { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn } from './support/people';
import { newId, nowIso } from '../src/lib/server/ids';
import { SAMPLE_CAPTIONS, sampleWebm } from '../src/lib/server/videos/videos.testing';

// Ama has a published post (set up straight in the database). On the post's video page she
// first makes mistakes (a link to a site we do not show, an .srt file as captions) and gets a
// message beside each field with her transcript kept; her browser runs no JavaScript, and the
// player's button is then a link to YouTube. She adds the YouTube link and captions, and is
// gently asked for a transcript, which she adds. Ben, a member, is refused the page. A reader
// sees the player: nothing is fetched from YouTube until the click on "Load video", then the
// no-cookie player appears (answered by the test, so no network is needed) and the transcript
// is shown. Last, Ama uploads a small WebM (after an HTML file named .mp4 is refused), which is
// served in parts (range requests). Every page passes axe.
//
// The reader is a visitor on the post's own page.

const YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

function thirdParty(request: Request, origin: string): boolean {
	return !request.url().startsWith(origin) && !request.url().startsWith('data:');
}

/** Saves the form; without JavaScript, checks the answer's status (400, or 303 when saved). */
async function saveAndWait(page: Page, status?: number) {
	const answer = page.waitForResponse(
		(r) => r.request().method() === 'POST' && r.url().includes('/video')
	);
	await page.getByRole('button', { name: 'Save the video' }).click();
	const response = await answer;
	// With JavaScript the form is sent by `enhance`, which gets every outcome as a 200.
	if (status !== undefined) expect(response.status()).toBe(status);
}

test('a reader loads a post’s video only after a click, with its transcript', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const ama = await createPerson({ colab, mailbox, browser }, { name: 'Ama Author' });
	const ben = await createPerson({ colab, mailbox, browser }, { name: 'Ben Member' });
	const slug = `our-first-cafe-${newId().slice(0, 6).toLowerCase()}`;
	const database = openServerDatabase(colab);
	try {
		const author = await database.db
			.selectFrom('app_user')
			.select('id')
			.where('email', '=', ama.email)
			.executeTakeFirstOrThrow();
		const now = nowIso();
		await database.db
			.insertInto('post')
			.values({
				id: newId(),
				slug,
				author_id: author.id,
				organisation_id: null,
				event_id: null,
				title: 'Our first café',
				body: 'What we learnt at our first knowledge café.',
				word_count: 8,
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
	} finally {
		await database.close();
	}
	const videoPage = `/blog/${slug}/video`;
	const READER_PAGE = `/blog/${slug}`;

	// Ama, without JavaScript: mistakes first, each told beside its field, her words kept.
	const plainContext = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plain = await plainContext.newPage();
	await signIn(plain, ama, { next: videoPage });
	await expect(plain).toHaveURL(new RegExp(`${videoPage}$`));
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Video for “Our first café”');
	await plain.getByLabel('Link to the video').fill('https://example.org/our-cafe.mp4');
	await plain.getByLabel('Captions (optional)').setInputFiles({
		name: 'cafe.srt',
		mimeType: 'application/x-subrip',
		buffer: Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nHello\n')
	});
	await plain.getByLabel('Transcript (optional)').fill('Draft notes');
	await saveAndWait(plain, 400);
	await expect(plain.locator('#link-error')).toContainText('YouTube, Vimeo and PeerTube only');
	await expect(plain.locator('#captions-error')).toContainText('first line must be WEBVTT');
	await expect(plain.getByLabel('Link to the video')).toHaveValue(
		'https://example.org/our-cafe.mp4'
	);
	await expect(plain.getByLabel('Transcript (optional)')).toHaveValue('Draft notes');
	await expect(plain).toHaveTitle(/^Error: /);

	// The link and captions, no transcript yet: saved, and she is asked (gently) for one.
	await plain.getByLabel('Link to the video').fill(YOUTUBE);
	await plain.getByLabel('Captions (optional)').setInputFiles({
		name: 'cafe.vtt',
		mimeType: 'text/vtt',
		buffer: Buffer.from(SAMPLE_CAPTIONS)
	});
	await plain.getByLabel('Transcript (optional)').fill('');
	await saveAndWait(plain, 303);
	await expect(plain.getByRole('heading', { name: 'Video saved' })).toBeVisible();
	await expect(plain.getByRole('heading', { name: 'Would you add a transcript?' })).toBeVisible();
	// Without JavaScript the player is a link to the video on YouTube, and nothing is framed.
	const watch = plain.getByRole('link', { name: 'Watch the video on YouTube' });
	await expect(watch).toHaveAttribute('href', YOUTUBE);
	await expect(plain.locator('iframe')).toHaveCount(0);
	await plainContext.close();

	// With JavaScript: the page passes axe with the prompt, and the transcript is added.
	const amaContext = await browser.newContext({ baseURL: colab.url });
	const page = await amaContext.newPage();
	await signIn(page, ama, { next: videoPage });
	await page.waitForLoadState('networkidle');
	await axe(page);
	await page
		.getByLabel('Transcript (optional)')
		.fill('## At the café\n\nWe talked about loneliness, and who could help.');
	await saveAndWait(page);
	await expect(page.getByRole('heading', { name: 'Video saved' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Would you add a transcript?' })).toHaveCount(0);

	// Ben may not change Ama's video.
	const benContext = await browser.newContext({ baseURL: colab.url });
	const benPage = await benContext.newPage();
	await signIn(benPage, ben);
	const refused = await benPage.goto(videoPage);
	expect(refused?.status()).toBe(403);
	await expect(
		benPage.getByText('Only the post’s author or a curator can change its video.')
	).toBeVisible();
	await benContext.close();

	// The reader: nothing from YouTube until the click.
	const readerContext = await browser.newContext({ baseURL: colab.url });
	const reader = await readerContext.newPage();
	const outside: string[] = [];
	reader.on('request', (request) => {
		if (thirdParty(request, colab.url)) outside.push(request.url());
	});
	await reader.route(/^https:\/\/www\.youtube-nocookie\.com\//, (route) =>
		route.fulfill({
			status: 200,
			contentType: 'text/html',
			body: '<!doctype html><title>Player</title><p>The video would play here.</p>'
		})
	);
	await reader.goto(READER_PAGE);
	await reader.waitForLoadState('networkidle');
	const note = reader.getByText(
		'This loads the video from YouTube, which may set cookies and see your IP address.'
	);
	await expect(note).toBeVisible();
	await expect(reader.getByRole('heading', { name: 'Transcript' })).toBeVisible();
	await expect(reader.getByText('We talked about loneliness, and who could help.')).toBeVisible();
	await expect(
		reader.getByRole('link', { name: 'Captions for this video (WebVTT file)' })
	).toBeVisible();
	await axe(reader);
	expect(outside).toEqual([]);

	// The post page sends no script: "Load video" is a link that brings the page back framed.
	await reader.getByRole('link', { name: 'Load video' }).click();
	const frame = reader.locator('iframe[title="Video: Our first café"]');
	await expect(frame).toHaveAttribute(
		'src',
		'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0'
	);
	await expect(frame.contentFrame().getByText('The video would play here.')).toBeVisible();
	expect(outside.length).toBeGreaterThan(0);
	expect(outside.every((url) => url.startsWith('https://www.youtube-nocookie.com/'))).toBe(true);
	await axe(reader);

	// The captions file is WebVTT.
	const captionsHref = await reader
		.getByRole('link', { name: 'Captions for this video (WebVTT file)' })
		.getAttribute('href');
	const captions = await reader.request.get(captionsHref!);
	expect(captions.headers()['content-type']).toBe('text/vtt; charset=utf-8');
	expect(await captions.text()).toContain('Hello, and welcome to the café.');
	await readerContext.close();

	// An upload: an HTML file named .mp4 is refused; a small WebM is kept and served in parts.
	await page.getByLabel('Link to the video').fill('');
	await page.getByLabel('Or upload a video file').setInputFiles({
		name: 'clip.mp4',
		mimeType: 'video/mp4',
		buffer: Buffer.from('<!DOCTYPE html><script>alert(1)</script>')
	});
	await saveAndWait(page);
	await expect(page.locator('#file-error')).toContainText('This file is not an MP4 or WebM video.');
	const webm = Buffer.from(sampleWebm(3000));
	await page.getByLabel('Or upload a video file').setInputFiles({
		name: 'clip.webm',
		mimeType: 'video/webm',
		buffer: webm
	});
	await saveAndWait(page);
	await expect(page.getByRole('heading', { name: 'Video saved' })).toBeVisible();
	const source = await page.locator('video source').getAttribute('src');
	expect(source).toMatch(/^\/media\/video\/[A-Za-z0-9_-]{22}\.webm$/);
	await expect(page.locator('video track[kind="captions"]')).toHaveCount(1);
	const part = await page.request.get(source!, { headers: { range: 'bytes=0-15' } });
	expect(part.status()).toBe(206);
	expect(part.headers()['content-range']).toBe(`bytes 0-15/${webm.byteLength}`);
	expect(part.headers()['accept-ranges']).toBe('bytes');
	expect(part.headers()['content-type']).toBe('video/webm');
	expect(part.headers()['x-content-type-options']).toBe('nosniff');
	expect(Buffer.from(await part.body())).toEqual(webm.subarray(0, 16));
	const past = await page.request.get(source!, { headers: { range: `bytes=${webm.byteLength}-` } });
	expect(past.status()).toBe(416);
	await axe(page);
	await amaContext.close();
});
