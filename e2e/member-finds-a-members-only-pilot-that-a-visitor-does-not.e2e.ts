import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Olu starts a pilot only members may read. Searching for it, a visitor finds nothing (not
// the title, not a count, not a spelling that would give it away); Olu, signed in, finds it,
// and again when he filters by the pilot's service area, but not by another.
test('a member finds a members-only pilot that the same search does not show a visitor', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const word = `marigold${Date.now()}q`;
	const title = `Members' ${word} tea on Fridays`;
	const olu = await createPerson({ colab, mailbox, browser }, { name: 'Olu Adeyemi' });
	await signIn(page, olu, { next: '/pilots/new' });
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Title', { exact: true }).fill(title);
	await page.getByLabel('What we are trying').fill('A quiet tea for members who care for someone.');
	await page.getByRole('checkbox', { name: 'Carers and unpaid care' }).check();
	await page.getByRole('radio', { name: /^Members/ }).check();
	await page.getByRole('button', { name: 'Start the pilot' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

	// Without JavaScript, as the plainest browser would ask.
	const visitor = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const sam = await visitor.newPage();
	await sam.goto(`/search?q=${encodeURIComponent(word)}`);
	const samMain = sam.getByRole('main');
	await expect(samMain.getByRole('heading', { level: 2, name: 'No results' })).toBeVisible();
	await expect(samMain).not.toContainText(word.slice(0, 8) + 'x');
	expect(await sam.content()).not.toContain(title);
	await expect(samMain.getByText(/Did you mean/)).toHaveCount(0);
	await expect(samMain.getByRole('link', { name: 'sign in' })).toBeVisible();
	await visitor.close();

	await page.goto('/search');
	await page.waitForLoadState('networkidle');
	const main = page.getByRole('main');
	await main.getByRole('searchbox', { name: 'Search for' }).fill(word);
	await main.getByRole('button', { name: 'Search' }).click();
	await expect(main.getByRole('heading', { level: 2, name: '1 result' })).toBeVisible();
	await expect(main.getByRole('link', { name: title })).toBeVisible();
	await expect(
		main.getByRole('list', { name: '1 result' }).getByText('Pilot', { exact: true })
	).toBeVisible();
	await axe(page);

	// The theme filter offers the library's service areas, which pilots are filed under.
	await main.getByText('Filters', { exact: true }).click();
	const theme = main.getByLabel('Theme', { exact: true });
	await theme.selectOption({ label: 'Carers and unpaid care' });
	await main.getByRole('button', { name: 'Search' }).click();
	await expect(main.getByRole('heading', { level: 2, name: '1 result' })).toBeVisible();
	await expect(page).toHaveURL(/theme=carers-and-unpaid-care/);
	await main.getByLabel('Theme', { exact: true }).selectOption({ label: 'Adult social care' });
	await main.getByRole('button', { name: 'Search' }).click();
	await expect(main.getByRole('heading', { level: 2, name: 'No results' })).toBeVisible();
});
