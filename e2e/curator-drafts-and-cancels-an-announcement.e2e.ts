import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Cleo, a curator whose browser runs no JavaScript, saves an announcement as a draft with only
// a title, finds it in the list of drafts, finishes it and schedules it for next month; then
// she cancels it from the list before it goes out. It never reaches the archive. Every state of
// the page passes axe at 1280 and 390 px.

async function axeAtBothWidths(page: Page, axe: (page: Page) => Promise<void>) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await axe(page);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('a curator saves a draft, finishes and schedules it, then cancels it before it sends', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(150_000);
	const cleo = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cleo Drafter', role: 'curator' }
	);
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const curator = await noScript.newPage();
	await signIn(curator, cleo);
	const checker = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(checker, cleo);
	const title = `Winter fair ${Date.now().toString(36)}`;
	const nextMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

	// A draft needs only its title.
	await curator.goto('/updates/announcements/new');
	await curator.getByLabel('Title').fill(title);
	await curator.getByRole('checkbox', { name: 'Announcements' }).uncheck();
	await curator.getByRole('button', { name: 'Save as a draft' }).click();
	await expect(curator.getByRole('heading', { name: 'Draft saved' })).toBeVisible();
	await expect(
		curator.getByRole('heading', { level: 1, name: 'Finish a draft announcement' })
	).toBeVisible();
	await expect(curator.getByLabel('Title')).toHaveValue(title);
	await expect(curator.getByRole('row').filter({ hasText: title })).toContainText('Draft');
	await checker.goto(curator.url());
	await axeAtBothWidths(checker, axe);

	// Later, from a fresh form, she opens the draft from the list and finishes it.
	await curator.goto('/updates/announcements/new');
	await curator.getByRole('link', { name: `Finish “${title}”` }).click();
	await expect(curator.getByLabel('Title')).toHaveValue(title);
	await curator
		.getByLabel('Announcement', { exact: true })
		.fill('Stalls, music and **hot soup** in the square.');
	await curator.getByRole('checkbox', { name: 'Announcements' }).check();
	await curator.getByRole('radio', { name: 'At a set time' }).check();
	await curator.getByLabel(/Send time/).fill(`${nextMonth}T09:30`);
	await curator.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(curator.getByRole('heading', { name: 'Scheduled', exact: true })).toBeVisible();
	await expect(curator.getByRole('row').filter({ hasText: title })).toContainText('Goes out at');
	await checker.goto('/updates/announcements/new');
	await axeAtBothWidths(checker, axe);

	// She cancels it before it goes out.
	await curator.getByRole('button', { name: `Cancel “${title}”` }).click();
	await expect(curator.getByRole('heading', { name: 'Cancelled', exact: true })).toBeVisible();
	await expect(curator.getByText(`“${title}” is cancelled. It will not be sent.`)).toBeVisible();
	await expect(curator.getByRole('row').filter({ hasText: title })).toHaveCount(0);

	// The same state, checked with axe: a second one scheduled and cancelled in the checking page.
	await checker.goto('/updates/announcements/new');
	await checker.getByLabel('Title').fill(`${title} (again)`);
	await checker.getByLabel('Announcement', { exact: true }).fill('Postponed.');
	await checker.getByRole('radio', { name: 'At a set time' }).check();
	await checker.getByLabel(/Send time/).fill(`${nextMonth}T10:30`);
	await checker.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(checker.getByRole('heading', { name: 'Scheduled', exact: true })).toBeVisible();
	await checker.getByRole('button', { name: `Cancel “${title} (again)”` }).click();
	await expect(checker.getByRole('heading', { name: 'Cancelled', exact: true })).toBeVisible();
	await axeAtBothWidths(checker, axe);

	// It is not in the archive.
	await curator.goto('/updates/archive');
	await expect(curator.getByText(title)).toHaveCount(0);
});
