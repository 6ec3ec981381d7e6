import { test, expect } from './fixtures';

// The shared components, checked on one page: accessible in light and dark schemes, usable by
// keyboard with a visible focus, and a form that keeps what was typed when it has errors.
test.describe('The design system page', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		test(`passes axe in the ${colorScheme} scheme`, async ({ page, axe }) => {
			await page.emulateMedia({ colorScheme });
			await page.goto('/design');
			await axe(page);
		});
	}

	test('shows every error linked to its field and keeps what was typed, without JavaScript', async ({
		browser,
		colab
	}) => {
		// axe-core needs JavaScript, so this page is checked with it in the next test.
		const context = await browser.newContext({ javaScriptEnabled: false, baseURL: colab.url });
		const page = await context.newPage();
		await page.goto('/design');
		await page.getByLabel('Your name').fill('Sam Example');
		await page.getByLabel('About you').fill('Carer, and a volunteer on Tuesdays.');
		await page.getByLabel('Hearing loop').check();
		await page.getByLabel('Role').selectOption('curator');
		await page.getByRole('button', { name: 'Send' }).click();

		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toBeVisible();
		await expect(summary.getByRole('link')).toHaveText([
			'Choose a time of day',
			'Tick the box to agree'
		]);
		await expect(page.getByLabel('Your name')).toHaveValue('Sam Example');
		await expect(page.getByLabel('About you')).toHaveValue('Carer, and a volunteer on Tuesdays.');
		await expect(page.getByLabel('Role')).toHaveValue('curator');
		await expect(page.getByLabel('Hearing loop')).toBeChecked();
		const agree = page.getByLabel('I agree to the community guidelines');
		await expect(agree).toHaveAttribute('aria-invalid', 'true');
		await expect(agree).toHaveAccessibleDescription(/Error: Tick the box to agree/);
		await context.close();
	});

	test('keeps what someone typed before the page finished loading its scripts', async ({
		page
	}) => {
		// Hold back the app's JavaScript so the person types into the server-rendered form first,
		// as happens on a slow phone connection; hydration must not wipe their answers.
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			await held;
			await route.continue();
		});
		await page.goto('/design', { waitUntil: 'domcontentloaded' });
		await page.getByLabel('Your name').fill('Typed early');
		await page.getByLabel('About you').fill('Before the scripts arrived');
		await page.getByLabel('Lunch').check();
		await page.getByLabel('Step-free access').check();
		await page.getByLabel('Role').selectOption('member');
		await page.getByLabel('I agree to the community guidelines').check();
		release();
		await page.waitForLoadState('networkidle');
		await page.getByRole('button', { name: 'Send' }).click();
		await expect(page.getByText('The example form was sent.')).toBeVisible();
		await expect(page.getByLabel('Your name')).toHaveValue('Typed early');
	});

	test('moves focus to the error summary and each link reaches its field', async ({
		page,
		axe
	}) => {
		await page.goto('/design');
		await page.getByRole('button', { name: 'Send' }).click();
		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toBeFocused();
		await axe(page);
		await summary.getByRole('link', { name: 'Choose a time of day' }).click();
		await expect(page).toHaveURL(/#time$/);
	});

	test('shows a visible focus indicator on links, fields and buttons', async ({ page }) => {
		await page.goto('/design');
		const name = page.getByLabel('Your name');
		await name.focus();
		const outline = await name.evaluate((el) => getComputedStyle(el).outlineStyle);
		expect(outline).not.toBe('none');
		const button = page.getByRole('button', { name: 'Send' });
		await button.focus();
		const background = await button.evaluate((el) => getComputedStyle(el).backgroundColor);
		expect(background).toBe('rgb(255, 221, 0)');
	});
});
