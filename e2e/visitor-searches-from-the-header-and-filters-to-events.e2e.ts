import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// Priya hosts an evening walk and starts a pilot about the same thing, both open to everyone.
// Sam, not signed in, types the word into the search box in the header of the home page and
// finds both; narrows the results to events with the filters (and puts two dates the wrong way
// round on the way); and opens the event.
test('a visitor searches from the header, filters to events, and opens one', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const word = `lantern${Date.now()}q`;
	const eventTitle = `Evening ${word} walk by the river`;
	const pilotTitle = `Trying ${word} walks on Thursdays`;
	const priya = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Priya Shah', role: 'curator' }
	);
	await signIn(page, priya);
	await hostEvent(page, { title: eventTitle });
	await page.goto('/pilots/new');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Title', { exact: true }).fill(pilotTitle);
	await page.getByLabel('What we are trying').fill('Short walks for carers, after work.');
	await page.getByRole('checkbox', { name: 'Carers and unpaid care' }).check();
	await page.getByRole('radio', { name: /^Everyone/ }).check();
	await page.getByRole('button', { name: 'Start the pilot' }).click();
	await expect(page.getByRole('heading', { level: 1, name: pilotTitle })).toBeVisible();

	const visitor = await browser.newContext({ baseURL: colab.url });
	const sam = await visitor.newPage();
	await sam.goto('/');
	const header = sam.getByRole('search', { name: 'Search CoLab' });
	await header.getByRole('searchbox', { name: 'Search CoLab' }).fill(word);
	await header.getByRole('searchbox', { name: 'Search CoLab' }).press('Enter');
	await expect(sam).toHaveURL(new RegExp(`/search\\?q=${word}`));
	await expect(sam).toHaveTitle(new RegExp(word));
	const main = sam.getByRole('main');
	await expect(main.getByRole('heading', { level: 2, name: '2 results' })).toBeVisible();
	await expect(main.getByRole('link', { name: eventTitle })).toBeVisible();
	await expect(main.getByRole('link', { name: pilotTitle })).toBeVisible();
	// Each result names its kind.
	const results = main.getByRole('list', { name: '2 results' });
	await expect(results.getByText('Event', { exact: true })).toBeVisible();
	await expect(results.getByText('Pilot', { exact: true })).toBeVisible();
	await axe(sam);

	await main.getByText('Filters', { exact: true }).click();
	await main.getByRole('checkbox', { name: 'Event', exact: true }).check();
	await main.getByRole('button', { name: 'Apply filters' }).click();
	await expect(sam).toHaveURL(/type=event/);
	await expect(main.getByRole('heading', { level: 2, name: '1 result' })).toBeVisible();
	await expect(main.getByRole('link', { name: pilotTitle })).toHaveCount(0);
	// The filter stays chosen on the page it led to.
	await expect(main.getByRole('checkbox', { name: 'Event', exact: true })).toBeChecked();
	await axe(sam);

	// Dates the wrong way round: the page says so beside the field and keeps both dates; loaded
	// afresh, it answers 400, as any form with a problem does.
	await main.getByLabel('From', { exact: true }).fill('2026-12-10');
	await main.getByLabel('To', { exact: true }).fill('2026-12-01');
	await main.getByRole('button', { name: 'Apply filters' }).click();
	await expect(sam).toHaveURL(/to=2026-12-01/);
	const toProblem = 'The “To” date must be the same as or after the “From” date.';
	await expect(main.getByLabel('To', { exact: true })).toHaveAccessibleDescription(
		new RegExp(toProblem)
	);
	const reloaded = await sam.goto(sam.url());
	expect(reloaded?.status()).toBe(400);
	await expect(main.getByLabel('From', { exact: true })).toHaveValue('2026-12-10');
	await expect(main.getByLabel('To', { exact: true })).toHaveValue('2026-12-01');
	await expect(main.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await axe(sam);
	await main.getByLabel('From', { exact: true }).fill('');
	await main.getByLabel('To', { exact: true }).fill('');
	await main.getByRole('button', { name: 'Apply filters' }).click();
	await expect(main.getByRole('heading', { level: 2, name: '1 result' })).toBeVisible();

	await main.getByRole('link', { name: eventTitle }).click();
	await expect(sam.getByRole('heading', { level: 1, name: eventTitle })).toBeVisible();
	await visitor.close();
});
