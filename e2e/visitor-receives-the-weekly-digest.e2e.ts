import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { hostEvent, daysFromNow } from './support/events';
import { createPerson, signIn, uniqueEmail } from './support/people';

// Dee has no account and her browser runs no JavaScript. She signs up for email updates about
// new events and confirms. Ivy, an administrator, adds an event, chooses when the weekly digest
// goes out (a mistake first), and sends this week's digest now; a curator trying the same is
// refused. Dee's digest arrives (from the in-process SMTP server) with the new event, a link
// to choose her topics and one-click unsubscribe. She changes her topics from it, then her mail
// program's "Unsubscribe" button stops everything. Every page passes axe at 1280 and 390 px.

async function axeAtBothWidths(page: Page, axe: (page: Page) => Promise<void>) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await axe(page);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('a visitor signs up, confirms, receives the weekly digest, changes topics and unsubscribes in one click', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const dee = uniqueEmail('dee');
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const visitor = await noScript.newPage();
	const checker = await (await browser.newContext({ baseURL: colab.url })).newPage();

	// Dee signs up for new events and confirms.
	await visitor.goto('/updates');
	await visitor.getByLabel('Email address').fill(dee);
	await visitor.getByRole('checkbox', { name: 'New events' }).check();
	await visitor.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(visitor.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await checker.goto('/updates');
	await expect(checker.getByRole('checkbox', { name: 'New posts' })).toBeVisible();
	await axeAtBothWidths(checker, axe);
	const confirmMail = await mailbox.waitFor(dee, /^Confirm your email updates/);
	await visitor.goto(Mailbox.link(confirmMail, /\/updates\/confirm\//));
	await visitor.getByRole('button', { name: 'Confirm' }).click();
	await expect(visitor.getByText('You are signed up.')).toBeVisible();
	await mailbox.waitFor(dee, /^You get email updates/);

	// Ivy, an administrator, adds an event: this week's news.
	const ivy = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Ivy Administrator', role: 'administrator' }
	);
	const admin = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(admin, ivy);
	const title = `Digest walk ${uniqueEmail('w').slice(2, 10)}`;
	const eventId = await hostEvent(admin, { title, date: daysFromNow(10) });

	// She chooses when the digest goes out, with a mistake first.
	await admin.goto('/admin/updates');
	await expect(admin.getByRole('heading', { level: 2, name: 'Weekly digest' })).toBeVisible();
	await expect(admin.getByText('The digest is off.')).toBeVisible();
	await axeAtBothWidths(admin, axe);
	await admin.getByLabel('Day to send it').selectOption({ label: 'Monday' });
	await admin.getByLabel('Time to send it').fill('9 in the morning');
	await admin.getByRole('button', { name: 'Save the digest time' }).click();
	await expect(admin.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(
		admin.getByText('Enter a time like 09:00 or 17:30 (24-hour clock)').first()
	).toBeVisible();
	await expect(admin.getByLabel('Time to send it')).toHaveValue('9 in the morning');
	await expect(admin.getByLabel('Day to send it')).toHaveValue('1');
	await axeAtBothWidths(admin, axe);
	await admin.getByLabel('Time to send it').fill('09:00');
	await admin.getByRole('button', { name: 'Save the digest time' }).click();
	await expect(admin.getByText(/The next digest goes out at 9am on Monday/).first()).toBeVisible();

	// A curator cannot send it.
	const cat = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cat Curator', role: 'curator' }
	);
	const curator = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(curator, cat);
	for (const [action, form] of [
		['sendDigest', {}],
		['digest', { digest_day: '2', digest_time: '10:00' }]
	] as const) {
		const forged = await curator.request.post(`/admin/updates?/${action}`, {
			form,
			headers: { origin: colab.url },
			maxRedirects: 0
		});
		expect(forged.status(), action).toBe(403);
	}
	await curator.context().close();

	// She sends this week's digest now; a second press sends nothing more.
	await admin.getByRole('button', { name: "Send this week's digest now" }).click();
	await expect(admin.getByRole('heading', { name: 'Digest sent' })).toBeVisible();
	await axeAtBothWidths(admin, axe);
	await admin.getByRole('button', { name: "Send this week's digest now" }).click();
	await expect(admin.getByRole('heading', { name: 'Already sent' })).toBeVisible();

	// Dee's digest.
	const digest = await mailbox.waitFor(dee, /^This week at /);
	expect(digest.subject).toMatch(/new event/);
	expect(digest.text).toContain(title);
	expect(digest.text).toContain(`/events/${eventId}`);
	expect(digest.html).toContain(`/events/${eventId}`);
	expect(digest.html).toContain('<h2');
	expect(digest.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
	const oneClick = /^<([^>]+)>$/.exec(digest.headers['list-unsubscribe'] ?? '')?.[1];
	expect(oneClick).toMatch(/\/updates\/unsubscribe\/[A-Za-z0-9_-]+$/);
	const preferences = Mailbox.link(digest, /\/updates\/preferences\//);

	// From the digest, she changes her topics.
	await visitor.goto(preferences);
	await visitor.getByRole('checkbox', { name: 'New events' }).uncheck();
	await visitor.getByRole('checkbox', { name: 'New posts' }).check();
	await visitor.getByRole('button', { name: 'Save my topics' }).click();
	await expect(visitor.getByText('Your topics are saved.')).toBeVisible();
	await checker.goto(preferences);
	await expect(checker.getByRole('checkbox', { name: 'New posts' })).toBeChecked();
	await expect(checker.getByRole('checkbox', { name: 'New events' })).not.toBeChecked();
	await axeAtBothWidths(checker, axe);

	// Her mail program's Unsubscribe button: one POST, no cookies.
	const answer = await fetch(oneClick!, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click'
	});
	expect(answer.status).toBe(200);
	await checker.goto(preferences);
	await expect(checker.getByText('You do not get email updates from us.')).toBeVisible();
	await axeAtBothWidths(checker, axe);
	// One digest, no more.
	expect(
		mailbox.messages.filter((m) => m.to.includes(dee) && /^This week at /.test(m.subject))
	).toHaveLength(1);
});
