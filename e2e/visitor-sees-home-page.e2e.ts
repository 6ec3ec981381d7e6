import { test, expect } from './fixtures';

test.describe('A visitor without an account', () => {
	test('sees the home page, can skip to the content and reach the footer pages', async ({
		page,
		axe
	}) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1 })).toContainText('CoLab');
		await expect(page.getByRole('banner')).toBeVisible();
		await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
		await expect(page.getByRole('contentinfo')).toBeVisible();
		// Events first (this week's, or the next ones when the week is quiet), as cards.
		await expect(
			page.getByRole('heading', { level: 2, name: /^(This week|Coming up)$/ })
		).toBeVisible();
		// Ways to take part are the event formats this instance has, each a link to its events.
		const ways = page
			.getByRole('heading', { level: 2, name: 'Ways to take part' })
			.locator('xpath=following-sibling::ul[1]');
		await expect(ways.getByRole('link', { name: 'Knowledge Café' })).toHaveAttribute(
			'href',
			'/events?format=knowledge-cafe'
		);
		await expect(ways.getByRole('link', { name: 'Lightning Talks' })).toBeVisible();
		// The blog is one of the ways in, from the main menu.
		await expect(
			page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blog' })
		).toHaveAttribute('href', '/blog');
		// My CoLab is for members: a visitor is not offered it.
		await expect(page.getByRole('link', { name: 'My CoLab' })).toHaveCount(0);
		await axe(page);
		await page.setViewportSize({ width: 390, height: 844 });
		await axe(page);
		await page.setViewportSize({ width: 1280, height: 800 });

		// The first Tab reaches the skip link, which moves focus to the main content.
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to main content' });
		await expect(skip).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page.locator('main')).toBeFocused();

		for (const [name, heading] of [
			['Privacy notice', 'Privacy notice'],
			['Accessibility statement', 'Accessibility statement']
		] as const) {
			await page.goto('/');
			await page.getByRole('contentinfo').getByRole('link', { name }).click();
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
			await axe(page);
		}
	});

	test('gets a friendly page for an address that does not exist', async ({ page, axe }) => {
		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
		await axe(page);
	});

	test('works at 320 px wide with nothing cut off sideways', async ({ page, axe }) => {
		await page.setViewportSize({ width: 320, height: 640 });
		await page.goto('/');
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		await axe(page);
	});
});
