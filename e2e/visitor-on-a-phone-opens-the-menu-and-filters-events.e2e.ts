import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';
import type { RunningServer } from './support/server';

// Sam looks for an online event on a phone (390 × 844) whose browser runs no JavaScript. The
// header is one Menu button; it opens, and Sam follows Events. The filters are folded behind
// "Filter events", so the first event shows on the first screen; Sam opens them, searches and
// chooses Online, and the button then says "2 set" above only the event that matches. A keyboard
// user skips past the filters to the results. A curator gives a format its own colour and icon,
// and visitors see them beside the format's name (never instead of it).

const PHONE = { width: 390, height: 844 };

/**
 * A page with JavaScript on, for axe (which runs inside the page) and the enhanced menu. New
 * contexts take the test's options (JavaScript off here) unless told otherwise.
 */
async function withScripts(browser: Browser, colab: RunningServer): Promise<Page> {
	const context = await browser.newContext({
		baseURL: colab.url,
		viewport: PHONE,
		javaScriptEnabled: true
	});
	return context.newPage();
}

test.describe('On a phone without JavaScript', () => {
	test.use({ javaScriptEnabled: false, viewport: PHONE });

	test('a visitor opens the menu, then filters events', async ({
		page,
		browser,
		colab,
		mailbox
	}) => {
		test.setTimeout(180_000);
		const word = `phonewalk${Date.now()}`;
		const host = await createPerson(
			{ colab, mailbox, browser },
			{ name: 'Priya Shah', role: 'curator' }
		);
		const hosting = await (
			await browser.newContext({ baseURL: colab.url, javaScriptEnabled: true })
		).newPage();
		await signIn(hosting, host);
		await hostEvent(hosting, { title: `${word} in the library` });
		await hostEvent(hosting, {
			title: `${word} on a video call`,
			mode: 'Online',
			onlineUrl: 'https://meet.example.test/walk'
		});
		await hosting.context().close();

		// The header: the site's name and one Menu button; the links are folded away.
		await page.goto('/');
		const nav = page.getByRole('navigation', { name: 'Main' });
		const menu = nav.locator('summary', { hasText: 'Menu' });
		await expect(menu).toBeVisible();
		await expect(nav.getByRole('link', { name: 'Events' })).toBeHidden();
		await menu.click();
		await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
		await nav.getByRole('link', { name: 'Events' }).click();
		await expect(page).toHaveURL(/\/events$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
		// A new page: the menu is folded again.
		await expect(nav.getByRole('link', { name: 'Events' })).toBeHidden();

		// The filters are folded too, so the first event is on the first screen.
		const filters = page.locator('summary', { hasText: 'Filter events' });
		await expect(filters).toHaveText('Filter events');
		await expect(page.getByRole('main').getByRole('searchbox', { name: 'Search' })).toBeHidden();
		// The first card starts on the first screen (its cover picture, when another journey on
		// this server gave it one, may push its title lower).
		await expect(page.locator('.cards > li').first()).toBeInViewport();

		await filters.click();
		await page.getByRole('main').getByRole('searchbox', { name: 'Search' }).fill(word);
		await page.getByRole('checkbox', { name: 'Online', exact: true }).check();
		await page.getByRole('button', { name: 'Show events' }).click();
		await expect(page).toHaveURL(/[?&]mode=online/);
		await expect(filters).toHaveText('Filter events (2 set)');
		await expect(page.getByRole('heading', { level: 2, name: /^1 event coming up/ })).toBeVisible();
		const found = page.locator('.cards h3 a');
		await expect(found).toHaveText([`${word} on a video call`]);
		await expect(found.first()).toBeInViewport();
		// Opened again, the filters show what was chosen.
		await filters.click();
		await expect(page.getByRole('main').getByRole('searchbox', { name: 'Search' })).toHaveValue(
			word
		);
		await expect(page.getByRole('checkbox', { name: 'Online', exact: true })).toBeChecked();
		const filtered = page.url();

		// By keyboard alone: the Menu button opens and closes with Enter; "Skip to results" shows
		// when reached, the filters' button opens with Enter, and the link goes past them.
		await page.goto('/events');
		const focused = (locator: typeof menu) =>
			locator.evaluate((el) => el === document.activeElement);
		for (let i = 0; i < 5 && !(await focused(menu)); i++) await page.keyboard.press('Tab');
		await expect(menu).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(nav.getByRole('link', { name: 'Home' })).toBeVisible();
		await page.keyboard.press('Enter');
		await expect(nav.getByRole('link', { name: 'Home' })).toBeHidden();
		const skip = page.getByRole('link', { name: 'Skip to results' });
		for (let i = 0; i < 20 && !(await focused(skip)); i++) await page.keyboard.press('Tab');
		await expect(skip).toBeFocused();
		await expect(skip).toBeInViewport();
		await page.keyboard.press('Tab');
		await expect(filters).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page.getByRole('main').getByRole('searchbox', { name: 'Search' })).toBeVisible();
		await page.keyboard.press('Shift+Tab');
		await expect(skip).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/#event-results$/);
		await page.keyboard.press('Tab');
		await expect(page.locator('.cards h3 a').first()).toBeFocused();

		// Every page and state above passes axe, at 390 px and at 1280 px.
		const checked = await withScripts(browser, colab);
		await checked.goto('/');
		await expectAccessible(checked);
		await checked.getByRole('navigation', { name: 'Main' }).locator('summary').click();
		await expect(checked.getByRole('link', { name: 'Organisations' })).toBeVisible();
		await expectAccessible(checked);
		await checked.goto('/events');
		await expectAccessible(checked);
		await checked.goto(filtered);
		await checked.locator('summary', { hasText: 'Filter events' }).click();
		await expectAccessible(checked);

		// With JavaScript (pages people read send none; forms' pages do), Escape closes the menu
		// and puts focus back on its button, and following a link closes it, although the header
		// stays on the page.
		await checked.goto('/sign-in');
		await checked.waitForLoadState('networkidle');
		const checkedNav = checked.getByRole('navigation', { name: 'Main' });
		await checkedNav.locator('summary').click();
		await expect(checkedNav.getByRole('link', { name: 'Home' })).toBeVisible();
		await checkedNav.getByRole('link', { name: 'Home' }).focus();
		await checked.keyboard.press('Escape');
		await expect(checkedNav.getByRole('link', { name: 'Home' })).toBeHidden();
		await expect(checkedNav.locator('summary')).toBeFocused();
		await checkedNav.locator('summary').click();
		await checkedNav.getByRole('link', { name: 'Create an account' }).click();
		await expect(checked).toHaveURL(/\/sign-up$/);
		await expect(checkedNav.getByRole('link', { name: 'Home' })).toBeHidden();
		await checked.context().close();
	});
});

test('on a wide screen the menu and the filters are open, with no buttons', async ({
	page,
	axe
}) => {
	await page.goto('/events');
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.locator('summary')).toBeHidden();
	await expect(nav.getByRole('link', { name: 'Organisations' })).toBeVisible();
	await expect(page.locator('summary', { hasText: 'Filter events' })).toBeHidden();
	await expect(page.getByRole('main').getByRole('searchbox', { name: 'Search' })).toBeVisible();
	await nav.getByRole('link', { name: 'Organisations' }).click();
	await expect(page).toHaveURL(/\/organisations$/);
	await axe(page);
});

test('a curator gives a format its own colour and icon, shown beside its name', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const curator = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Femi Adeyemi', role: 'curator' }
	);
	const member = await createPerson({ colab, mailbox, browser }, { name: 'Tom Walsh' });
	await signIn(page, curator);
	const title = `Tea and a chat ${Date.now()}`;
	const id = await hostEvent(page, { title, format: 'Lightning Talks' });

	await page.goto('/events/formats');
	const lightning = page.locator('#format-lightning-talks');
	await lightning.locator('summary').click();
	await lightning.getByRole('group', { name: 'Colour' }).getByLabel('Pink').check();
	await lightning.getByRole('group', { name: 'Icon' }).getByLabel('Heart').check();
	await axe(page);
	await lightning.getByRole('button', { name: 'Save Lightning Talks' }).click();
	await expect(page.getByText('The format is saved.')).toBeVisible();
	await lightning.locator('summary').click();
	await expect(lightning.getByRole('radio', { name: 'Pink' })).toBeChecked();
	await expect(lightning.getByRole('radio', { name: 'Heart' })).toBeChecked();

	// Visitors see the name in the format's colour, with its icon beside it (hidden from
	// screen readers, which read the name).
	const visitor = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await visitor.goto(`/events?q=${encodeURIComponent(title)}`);
	const card = visitor.locator('.card', { hasText: title });
	const name = card.locator('.format-name');
	await expect(name).toHaveText('Lightning Talks');
	await expect(name).toHaveCSS('color', 'rgb(163, 25, 91)');
	await expect(name.locator('svg')).toHaveAttribute('aria-hidden', 'true');
	await expect(card).toHaveCSS('border-top-color', 'rgb(163, 25, 91)');
	await axe(visitor);
	await visitor.goto(`/events/${id}`);
	await expect(visitor.locator('main .format-name')).toHaveText('Lightning Talks');
	await expect(visitor.locator('main .format-name svg path')).toHaveAttribute('d', /^M12 20.5s/);
	await axe(visitor);
	await visitor.context().close();

	// A member may not change formats at all.
	const tom = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(tom, member);
	const refused = await tom.goto('/events/formats');
	expect(refused?.status()).toBe(403);
	const post = await tom.request.post('/events/formats?/update', {
		form: { format: 'lightning-talks', colour: 'red', icon: 'flag' },
		headers: { origin: colab.url }
	});
	expect(post.status()).toBe(403);
	await tom.context().close();
	const after = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await after.goto(`/events/${id}`);
	await expect(after.locator('main .format-name')).toHaveCSS('color', 'rgb(163, 25, 91)');
	await after.context().close();
});
