import { test, expect } from './fixtures';
import { startColab, type RunningServer } from './support/server';

// `npm run demo`: the same app, with demo content, and the sign-ins printed in the terminal.
test.describe('Someone trying CoLab out with the demo', () => {
	let demo: RunningServer;

	test.beforeAll(async () => {
		demo = await startColab(
			// No ORIGIN, as on a laptop: forms and the page cache must still work.
			{ MAIL_WORKER: 'off', SITE_NAME: 'Borough Co-production Network', ORIGIN: '' },
			['--demo']
		);
	});
	test.afterAll(async () => {
		await demo?.stop();
	});

	test('reads the demo sign-ins in the terminal and signs in as the administrator', async ({
		page,
		axe
	}) => {
		const output = demo.output();
		expect(output).toContain('Demo content is ready');
		const password = /password for all: (\S+)\)/.exec(output)?.[1];
		const admin = /(\S+@\S+)\s+administrator/.exec(output)?.[1];
		expect(password).toBeTruthy();
		expect(admin).toBeTruthy();

		// The network's own name, everywhere, as SITE_NAME says.
		await page.goto(demo.url);
		const again = await page.request.get(`${demo.url}/privacy`);
		const third = await page.request.get(`${demo.url}/privacy`);
		expect(again.ok()).toBe(true);
		expect(third.headers()['x-colab-cache']).toBe('hit');
		await expect(page.getByRole('banner')).toContainText('Borough Co-production Network');
		await page.goto(`${demo.url}/sign-in`);
		await expect(page).toHaveTitle(/– Borough Co-production Network$/);
		await page.getByLabel('Email address').fill(admin!);
		await page.getByLabel('Password', { exact: true }).fill(password!);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(
			page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })
		).toBeVisible();
		await axe(page);
		for (const path of ['/account', '/admin', '/admin/people', '/account/password']) {
			await page.goto(`${demo.url}${path}`);
			await expect(page).toHaveTitle(/Borough Co-production Network$/);
		}

		await page.goto(`${demo.url}/organisations`);
		await expect(page.getByRole('link', { name: /Riverside Carers/ })).toBeVisible();
		await axe(page);
	});

	// The demo's past exchange had 20 places; 18 people came. Its page tells what happened, not
	// how many places are left, nor how to book or add it to a calendar.
	test('reads what happened at a past event, with no places or booking', async ({ page, axe }) => {
		for (const width of [1280, 390]) {
			await page.setViewportSize({ width, height: 900 });
			await page.goto(`${demo.url}/events/demo-past-exchange-peer-support`);
			await expect(page.getByRole('heading', { level: 2, name: 'What happened' })).toBeVisible();
			await expect(page.getByText('18 people came')).toBeVisible();
			await expect(page.getByText(/places? left|waitlist/i)).toHaveCount(0);
			await expect(page.getByRole('term').filter({ hasText: 'Places' })).toHaveCount(0);
			await expect(page.getByRole('heading', { name: 'Add to your calendar' })).toHaveCount(0);
			await expect(page.getByRole('button', { name: /Ask for a place|Book a place/ })).toHaveCount(
				0
			);
			await axe(page);
		}
	});
});
