import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { uniqueEmail } from './support/people';

// Mistakes and misuse get a plain message beside the field and a summary at the top, with
// what was typed still there (never the password). The forms are plain HTML forms; the first
// journey also checks one with JavaScript switched off.

test.describe('Bad input on the account pages', () => {
	test('an invalid email and a short password are explained, and the form is kept', async ({
		page,
		browser,
		colab,
		axe
	}) => {
		await page.goto('/sign-up');
		await page.getByLabel('Your name').fill('Max <b>Bold</b>');
		await page.getByLabel('Email address').fill('max@example');
		await page.getByLabel('Password', { exact: true }).fill('short');
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'Create account' }).click()
		]);
		expect(response.status()).toBe(400);

		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary.getByRole('link')).toHaveText([
			'Enter an email address in the right format, like name@example.com',
			'Password must be at least 10 characters'
		]);
		await expect(summary.getByRole('link').first()).toHaveAttribute('href', '#email');
		await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Your name')).toHaveValue('Max <b>Bold</b>');
		await expect(page.getByLabel('Email address')).toHaveValue('max@example');
		await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
		await expect(page).toHaveTitle(/^Error: /);
		await axe(page);

		// The same without JavaScript (axe needs JavaScript, so it ran on the page above).
		const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
		const plain = await noScript.newPage();
		await plain.goto('/sign-up');
		await plain.getByLabel('Your name').fill('Max');
		await plain.getByLabel('Email address').fill('max@example');
		await plain.getByLabel('Password', { exact: true }).fill('short');
		const [plainResponse] = await Promise.all([
			plain.waitForResponse((r) => r.request().method() === 'POST'),
			plain.getByRole('button', { name: 'Create account' }).click()
		]);
		expect(plainResponse.status()).toBe(400);
		await expect(plain.getByRole('alert')).toContainText('Password must be at least 10 characters');
		await expect(plain.getByLabel('Email address')).toHaveValue('max@example');
		await noScript.close();

		await page.goto('/sign-in');
		await page.getByLabel('Email address').fill('not an email');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toContainText(
			'Enter an email address in the right format'
		);
		await expect(page.getByRole('alert')).toContainText('Enter your password');
		await expect(page.getByLabel('Email address')).toHaveValue('not an email');
		await axe(page);
	});

	test('a used sign-in link and a broken confirmation link say what happened', async ({
		page,
		colab,
		mailbox,
		axe
	}) => {
		const email = uniqueEmail('lin');
		await colab.cli(['user:create', '--email', email, '--name', 'Lin', '--role', 'member']);
		await page.goto('/sign-in/link');
		await page.getByLabel('Email address').fill(email);
		await page.getByRole('button', { name: 'Email me a link' }).click();
		const link = Mailbox.link(await mailbox.waitFor(email, /sign-in link/), /sign-in\/link\?/);

		await page.goto(link);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/account$/);
		await page.context().clearCookies();

		await page.goto(link);
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'Sign in' }).click()
		]);
		expect(response.status()).toBe(400);
		await expect(
			page.getByRole('heading', {
				level: 1,
				name: 'This sign-in link has been used or has expired'
			})
		).toBeVisible();
		await expect(page.getByText('Each link works once, for 15 minutes.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Email me a link' })).toBeVisible();
		await axe(page);

		await page.goto('/verify-email?token=eyJhbGciOiJIUzI1NiJ9.broken.signature');
		await expect(
			page.getByRole('heading', { level: 1, name: 'This link does not work' })
		).toBeVisible();
		await expect(page.getByRole('button', { name: 'Send a new link' })).toBeVisible();
		await axe(page);

		await page.goto('/reset-password?token=no-such-token');
		await expect(
			page.getByRole('heading', { level: 1, name: 'This reset link has been used or has expired' })
		).toBeVisible();
		await expect(page.getByRole('link', { name: 'Get a new link' })).toHaveAttribute(
			'href',
			'/forgot-password'
		);
		await axe(page);
	});

	test('too many sign-in attempts get a 429 saying when to try again', async ({ page, axe }) => {
		const email = uniqueEmail('target');
		await page.goto('/sign-in');
		for (let attempt = 1; attempt <= 11; attempt++) {
			await page.getByLabel('Email address').fill(email);
			await page.getByLabel('Password', { exact: true }).fill(`guess number ${attempt}`);
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				page.getByRole('button', { name: 'Sign in' }).click()
			]);
			const status = response.status();
			if (attempt <= 10) {
				expect(status).toBe(400);
				await expect(page.getByRole('alert')).toContainText(
					'The email address or password is not right'
				);
			} else {
				expect(status).toBe(429);
				const retryAfter = Number(await response.headerValue('retry-after'));
				expect(retryAfter).toBeGreaterThan(800);
				expect(retryAfter).toBeLessThanOrEqual(900);
			}
		}
		await expect(page.getByRole('alert')).toContainText(
			/Too many attempts\. Please wait 15 minutes and try again \(after \d\d:\d\d\)\./
		);
		await expect(page.getByLabel('Email address')).toHaveValue(email);
		await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
		await axe(page);
	});
});
