import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn, uniqueEmail } from './support/people';
import { hashAddress } from '../src/lib/server/updates/updates.service';
import { newId, nowIso } from '../src/lib/server/ids';

// Bea gets updates about new events; Cy only about announcements (both set up straight in the
// database, as confirmed subscribers). Mo, a member, cannot open the announcements page. Cleo,
// a curator, writes an announcement for the "New events" topic, makes a mistake first,
// previews it as the email (her browser runs no JavaScript), sends a test to herself, then
// sends it. Only Bea gets it, once, with one-click unsubscribe headers. It appears in the
// archive and in its feed. Every page passes axe at 1280 and 390 px.

async function axeAtBothWidths(page: Page, axe: (page: Page) => Promise<void>) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await axe(page);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('a curator sends an announcement to one topic and only its subscribers get it, once', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(150_000);
	const bea = uniqueEmail('bea');
	const cy = uniqueEmail('cy');
	const database = openServerDatabase(colab);
	try {
		for (const [email, topic] of [
			[bea, 'events'],
			[cy, 'announcements']
		] as const) {
			const id = newId();
			const now = nowIso();
			await database.db
				.insertInto('update_subscriber')
				.values({
					id,
					email,
					email_hash: hashAddress(email),
					status: 'subscribed',
					pending_topics: null,
					confirm_token_hash: null,
					confirm_expires_at: null,
					consented_at: now,
					consent_method: 'form',
					created_at: now,
					updated_at: now
				})
				.execute();
			await database.db
				.insertInto('update_subscriber_topic')
				.values({ subscriber_id: id, topic })
				.execute();
		}
	} finally {
		await database.close();
	}

	// A visitor is sent to sign in; a member is refused.
	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto('/updates/announcements/new');
	await expect(visitor).toHaveURL(/\/sign-in/);
	const mo = await createPerson({ colab, mailbox, browser }, { name: 'Mo Member' });
	const memberContext = await browser.newContext({ baseURL: colab.url });
	const member = await memberContext.newPage();
	await signIn(member, mo);
	const refused = await member.goto('/updates/announcements/new');
	expect(refused?.status()).toBe(403);
	await memberContext.close();

	const cleo = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cleo Curator', role: 'curator' }
	);
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const curator = await noScript.newPage();
	await signIn(curator, cleo);
	// Axe runs in a page with JavaScript on.
	const checkerContext = await browser.newContext({ baseURL: colab.url });
	const checker = await checkerContext.newPage();
	await signIn(checker, cleo);
	await checker.goto('/updates/announcements/new');
	await axeAtBothWidths(checker, axe);

	// A mistake first: no body, no topic, and a send time in the past. Everything typed is kept.
	await curator.goto('/updates/announcements/new');
	await curator.getByLabel('Title').fill('Spring news from the network');
	await curator.getByRole('checkbox', { name: 'Announcements' }).uncheck();
	await curator.getByRole('radio', { name: 'At a set time' }).check();
	await curator.getByLabel(/Send time/).fill('2020-01-01T09:00');
	await curator.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(curator.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(curator.getByText('Enter the announcement').first()).toBeVisible();
	await expect(curator.getByText('Choose at least one topic').first()).toBeVisible();
	await expect(curator.getByText('The send time must be in the future').first()).toBeVisible();
	await expect(curator.getByLabel('Title')).toHaveValue('Spring news from the network');

	// Fixed, then previewed without JavaScript.
	await curator
		.getByLabel('Announcement', { exact: true })
		.fill('Our **spring gathering** is on.\n\n- Bring a friend\n- Bring a dish');
	await curator.getByRole('checkbox', { name: 'New events' }).check();
	await curator.getByRole('radio', { name: 'Now' }).check();
	await curator.getByLabel(/Send time/).fill('');
	await curator.getByRole('button', { name: 'Preview the email' }).click();
	await expect(curator.getByRole('heading', { name: 'Preview' })).toBeVisible();
	await expect(curator.getByTestId('html-preview').locator('strong')).toHaveText(
		'spring gathering'
	);
	await expect(curator.locator('pre')).toContainText('Our spring gathering is on.');
	await expect(curator.locator('pre')).toContainText('- Bring a friend');
	await expect(curator.getByLabel('Title')).toHaveValue('Spring news from the network');
	// The same preview, checked with axe.
	await checker.getByLabel('Title').fill('Spring news from the network');
	await checker.getByLabel('Announcement', { exact: true }).fill('Our **spring gathering** is on.');
	await checker.getByRole('button', { name: 'Preview the email' }).click();
	await expect(checker.getByRole('heading', { name: 'Preview' })).toBeVisible();
	await axeAtBothWidths(checker, axe);

	// A test to herself only.
	await curator.getByRole('button', { name: 'Send a test to me' }).click();
	await expect(curator.getByText(`We sent a test to ${cleo.email}`)).toBeVisible();
	const testMail = await mailbox.waitFor(cleo.email, /^Test: Spring news/);
	expect(testMail.text).toContain('This is a test sent only to you');

	// Sent.
	await curator.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(curator).toHaveURL(/\/updates\/archive\/[A-Za-z0-9_-]+\?notice=sent/);
	await expect(curator.getByRole('heading', { level: 1 })).toHaveText(
		'Spring news from the network'
	);
	const archiveUrl = new URL(curator.url()).pathname;

	const got = await mailbox.waitFor(bea, /^Spring news from the network$/);
	expect(got.headers['list-unsubscribe']).toMatch(
		/^<https?:\/\/[^>]+\/updates\/unsubscribe\/[A-Za-z0-9_-]+>$/
	);
	expect(got.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
	expect(got.html).toContain('<strong>spring gathering</strong>');
	expect(got.text).toContain('Our spring gathering is on.');
	expect(got.links.some((l) => l.endsWith(archiveUrl))).toBe(true);
	expect(got.links.some((l) => /\/updates\/preferences\//.test(l))).toBe(true);
	// Give any second copy, or a mail to Cy, time to arrive; none does.
	await new Promise((resolve) => setTimeout(resolve, 3_000));
	const toBea = mailbox.messages.filter(
		(m) => m.to.includes(bea) && m.subject === 'Spring news from the network'
	);
	expect(toBea).toHaveLength(1);
	expect(mailbox.messages.some((m) => m.to.includes(cy))).toBe(false);

	// The archive and the feed, as a visitor sees them.
	await visitor.goto('/updates/archive');
	await expect(visitor.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveCount(
		1
	);
	await visitor.getByRole('link', { name: 'Spring news from the network' }).click();
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(
		'Spring news from the network'
	);
	await axeAtBothWidths(visitor, axe);
	await visitor.goto('/updates/archive');
	await axeAtBothWidths(visitor, axe);
	const feed = await visitor.request.get('/updates/archive/feed.atom');
	expect(feed.headers()['content-type']).toContain('application/atom+xml');
	const xml = await feed.text();
	expect(xml).toContain('<title>Spring news from the network</title>');
	expect(xml).toContain(archiveUrl);
	expect(xml).toContain('&lt;strong&gt;spring gathering&lt;/strong&gt;');
	await noScript.close();
	await checkerContext.close();
	await visitorContext.close();
});
