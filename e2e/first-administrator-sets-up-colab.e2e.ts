import { test, expect } from './fixtures';
import { startColab } from './support/server';

// Someone installs CoLab and starts it. There are no accounts, so the home page leads them to
// /setup, which asks for the one-time code printed in the terminal and makes them the first
// administrator. The code works once; afterwards /setup is gone.
test('the first administrator sets up CoLab with the code from the terminal', async ({
	page,
	mailbox,
	axe
}) => {
	test.setTimeout(120_000);
	// A server of its own, since the shared one may already have people in it.
	const server = await startColab({
		SMTP_URL: mailbox.url,
		DATABASE_URL: '',
		MAIL_FROM: 'CoLab Test <colab@example.test>'
	});
	try {
		const printed = /one-time setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(
			server.output()
		);
		expect(printed, server.output()).not.toBeNull();
		const code = printed![1]!;
		expect(server.output()).toContain(`${server.url}/setup`);

		await page.goto(`${server.url}/`);
		const banner = page.getByRole('region', { name: 'Set up CoLab' });
		await expect(banner).toContainText('Nobody has an account here yet.');
		await axe(page);
		await banner.getByRole('link', { name: 'Create the first administrator account' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Set up CoLab' })).toBeVisible();
		await axe(page);

		// A wrong code is refused, with everything else kept.
		await page.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
		await page.getByLabel('Your name').fill('Ada Admin');
		await page.getByLabel('Email address').fill('ada@example.test');
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await page.getByRole('button', { name: 'Create administrator account' }).click();
		await expect(page.getByRole('alert')).toContainText('That setup code is not right');
		await expect(page.getByLabel('Your name')).toHaveValue('Ada Admin');
		await expect(page.getByLabel('Email address')).toHaveValue('ada@example.test');
		await axe(page);

		// Typed in lower case with spaces, it still matches.
		await page.getByLabel('Setup code').fill(code.toLowerCase().replaceAll('-', ' '));
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await page.getByRole('button', { name: 'Create administrator account' }).click();
		await expect(page).toHaveURL(/\/account\?changed=set-up$/);
		await expect(
			page.getByText('CoLab is set up and you are its first administrator.')
		).toBeVisible();
		await expect(
			page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })
		).toBeVisible();
		await axe(page);

		// Setup is done: the page is gone and the home page no longer points at it.
		const again = await page.goto(`${server.url}/setup`);
		expect(again?.status()).toBe(404);
		await expect(page.getByText('CoLab is already set up. Sign in instead.')).toBeVisible();
		await axe(page);
		await page.context().clearCookies();
		await page.goto(`${server.url}/`);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('CoLab');
		await expect(page.getByRole('region', { name: 'Set up CoLab' })).toHaveCount(0);

		// The administrator can sign in with the password chosen.
		await page.goto(`${server.url}/sign-in`);
		await page.getByLabel('Email address').fill('ada@example.test');
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/account$/);
	} finally {
		await server.stop();
	}
});
