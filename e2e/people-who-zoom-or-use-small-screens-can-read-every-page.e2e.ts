import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// WCAG 1.4.10 (reflow at 320 CSS px) and 1.4.4 (text at 200 %): nothing may need sideways
// scrolling and nothing may be cut off. Checked on the pages a visitor reaches first.
const PAGES = [
	'/',
	'/sign-in',
	'/sign-up',
	'/sign-in/link',
	'/forgot-password',
	'/organisations',
	'/privacy',
	'/accessibility',
	'/design',
	'/events',
	'/assessments',
	'/assessments/check',
	'/updates'
];

async function sidewaysOverflow(page: Page): Promise<number> {
	return page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
}

test.describe('People who zoom in or use a small screen', () => {
	test('can read every page at 320 px wide without scrolling sideways', async ({ page }) => {
		await page.setViewportSize({ width: 320, height: 640 });
		for (const path of PAGES) {
			await page.goto(path);
			expect(
				await sidewaysOverflow(page),
				`${path} scrolls sideways at 320 px`
			).toBeLessThanOrEqual(0);
		}
	});

	test('can read every page with text at 200 % without scrolling sideways', async ({ page }) => {
		await page.setViewportSize({ width: 1280, height: 800 });
		for (const path of PAGES) {
			await page.goto(path);
			// What a browser's "text size" setting does: the root font size doubles.
			await page.evaluate(() => {
				document.documentElement.style.fontSize = '200%';
			});
			expect(
				await sidewaysOverflow(page),
				`${path} scrolls sideways at 200 % text`
			).toBeLessThanOrEqual(0);
			const heading = page.getByRole('heading', { level: 1 });
			await expect(heading).toBeVisible();
			const size = await heading.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
			expect(size, `${path}: the heading grows with the text setting`).toBeGreaterThanOrEqual(40);
		}
	});

	test('passes the accessibility checks in the dark scheme with reduced motion', async ({
		page,
		axe
	}) => {
		await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
		// /events: the folded filters, and formats' colours in the dark scheme.
		for (const path of ['/', '/sign-in', '/organisations', '/events']) {
			await page.goto(path);
			await axe(page);
		}
	});
});
