import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, uniqueEmail } from './support/people';

// Ada has no account and her browser runs no JavaScript. She asks for email updates, confirms
// from the emailed link (nothing is sent until she does), and changes her topics. Later she
// joins the site with the same address and finds the same choices in her account. Her mail
// program's "Unsubscribe" button stops everything in one click; she signs up again, and this
// time unsubscribes on the page. Every page passes axe at 1280 and 390 px.

/** Checks the page as it is now at desktop and phone widths. */
async function axeAtBothWidths(page: Page, axe: (page: Page) => Promise<void>) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await axe(page);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('a visitor signs up for email updates, confirms, changes topics and unsubscribes', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	const ada = uniqueEmail('ada');
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const visitor = await noScript.newPage();
	// Pages are checked with axe in a context with JavaScript on (axe runs in the page).
	const checker = await (await browser.newContext({ baseURL: colab.url })).newPage();

	await checker.goto('/updates');
	await axeAtBothWidths(checker, axe);

	// A mistake first: no topic chosen. The form comes back with the message, keeping her address.
	await visitor.goto('/updates');
	await visitor.getByLabel('Email address').fill(ada);
	await visitor.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(visitor.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(visitor.getByText('Choose at least one topic').first()).toBeVisible();
	await expect(visitor.getByLabel('Email address')).toHaveValue(ada);
	// The same state, checked with axe.
	await checker.goto('/updates');
	await checker.getByLabel('Email address').fill('not-an-address');
	await checker.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(checker.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
	await axeAtBothWidths(checker, axe);

	await visitor.getByRole('checkbox', { name: 'New events' }).check();
	await visitor.getByRole('checkbox', { name: /Knowledge Café events only/ }).check();
	await visitor.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(visitor.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await expect(visitor.getByText(`If ${ada} can get updates from us`)).toBeVisible();

	const confirmMail = await mailbox.waitFor(ada, /^Confirm your email updates/);
	expect(confirmMail.headers['list-unsubscribe']).toBeUndefined();
	const confirmLink = Mailbox.link(confirmMail, /\/updates\/confirm\//);

	// Opening the link (as a mail scanner would) confirms nothing: it shows a button.
	await checker.goto(confirmLink);
	await expect(
		checker.getByRole('heading', { level: 1, name: 'Confirm your email updates' })
	).toBeVisible();
	await expect(checker.getByText('New events', { exact: true })).toBeVisible();
	await axeAtBothWidths(checker, axe);
	await visitor.goto(confirmLink);
	await visitor.getByRole('button', { name: 'Confirm' }).click();
	await expect(visitor.getByText('You are signed up.')).toBeVisible();
	await expect(
		visitor.getByRole('heading', { level: 1, name: 'Your email updates' })
	).toBeVisible();
	await expect(visitor.getByRole('checkbox', { name: 'New events' })).toBeChecked();
	// The link is used: a second press is a clear "not valid", not an error.
	const reused = await checker.goto(confirmLink);
	expect(reused?.status()).toBe(404);
	await expect(checker.getByText('This confirmation link is not valid.')).toBeVisible();
	await axeAtBothWidths(checker, axe);

	const welcome = await mailbox.waitFor(ada, /^You get email updates/);
	expect(welcome.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
	const oneClick = /^<([^>]+)>$/.exec(welcome.headers['list-unsubscribe'] ?? '')?.[1];
	expect(oneClick).toMatch(/\/updates\/unsubscribe\/[A-Za-z0-9_-]+$/);
	const preferences = Mailbox.link(welcome, /\/updates\/preferences\//);

	// She changes her topics from the link in the welcome email.
	await visitor.goto(preferences);
	await visitor.getByRole('checkbox', { name: 'New events' }).uncheck();
	await visitor.getByRole('checkbox', { name: /Knowledge Café events only/ }).uncheck();
	await visitor.getByRole('button', { name: 'Save my topics' }).click();
	await expect(visitor.getByText('Choose at least one topic').first()).toBeVisible();
	await visitor.getByRole('checkbox', { name: 'Announcements' }).check();
	await visitor.getByRole('button', { name: 'Save my topics' }).click();
	await expect(visitor.getByText('Your topics are saved.')).toBeVisible();
	await visitor.goto(preferences);
	await expect(visitor.getByRole('checkbox', { name: 'Announcements' })).toBeChecked();
	await expect(visitor.getByRole('checkbox', { name: 'New events' })).not.toBeChecked();
	await checker.goto(preferences);
	await axeAtBothWidths(checker, axe);

	// She joins with the same address: her account shows the same subscription.
	const member = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Ada Lovelace', email: ada }
	);
	const account = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(account, member, { next: '/account/updates' });
	await expect(account).toHaveURL(/\/account\/updates$/);
	await expect(account.getByRole('checkbox', { name: 'Announcements' })).toBeChecked();
	await axeAtBothWidths(account, axe);

	// Her mail program's Unsubscribe button: one POST from elsewhere, no cookies, no Origin.
	const answer = await fetch(oneClick!, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click'
	});
	expect(answer.status).toBe(200);
	await visitor.goto(preferences);
	await expect(visitor.getByText('You do not get email updates from us.')).toBeVisible();
	await account.reload();
	await expect(account.getByText('You do not get email updates now.')).toBeVisible();
	// Only that address is open to posts from other sites.
	const crossSite = await fetch(`${preferences}?/remove`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.test' },
		body: ''
	});
	expect(crossSite.status).toBe(403);

	// She signs up again (a fresh confirmation lifts her unsubscribe), then stops on the page.
	await visitor.goto('/updates');
	await visitor.getByLabel('Email address').fill(ada);
	await visitor.getByRole('checkbox', { name: 'Announcements' }).check();
	await visitor.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(visitor.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await checker.goto('/updates');
	await checker.getByLabel('Email address').fill(uniqueEmail('checker'));
	await checker.getByRole('checkbox', { name: 'Announcements' }).check();
	await checker.getByRole('button', { name: 'Send me a link to confirm' }).click();
	await expect(checker.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await axeAtBothWidths(checker, axe);

	const again = await mailbox.waitFor(ada, /^Confirm your email updates/, 15_000);
	await visitor.goto(Mailbox.link(again, /\/updates\/confirm\/(?!.*\/)/));
	await visitor.getByRole('button', { name: 'Confirm' }).click();
	await expect(visitor.getByText('You are signed up.')).toBeVisible();
	await expect.poll(() => mailbox.messages.filter((m) => m.to.includes(ada)).length).toBe(5);
	const secondWelcome = mailbox.messages.findLast(
		(m) => m.to.includes(ada) && /^You get email updates/.test(m.subject)
	)!;
	const unsubscribePage = Mailbox.link(secondWelcome, /\/updates\/unsubscribe\//);
	expect(unsubscribePage).not.toBe(oneClick);

	// Opening the unsubscribe link changes nothing; the button does.
	await visitor.goto(unsubscribePage);
	await expect(visitor.getByText(`Stop all email updates to ${ada}?`)).toBeVisible();
	await checker.goto(unsubscribePage);
	await axeAtBothWidths(checker, axe);
	await visitor.goto(unsubscribePage);
	await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
	await expect(visitor.getByText('We will not send you any more updates.')).toBeVisible();
	await checker.goto(unsubscribePage);
	await expect(checker.getByText(`${ada} does not get email updates from us.`)).toBeVisible();
	await axeAtBothWidths(checker, axe);

	await noScript.close();
});
