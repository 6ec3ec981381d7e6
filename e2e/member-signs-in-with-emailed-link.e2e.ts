import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { uniqueEmail } from './support/people';

// An administrator adds Rosa from the command line, without a password. Rosa asks for a
// sign-in link, uses it, sets a password for next time, and later signs out of every device.
test('a member signs in with a link sent by email', async ({ page, colab, mailbox, axe }) => {
	const email = uniqueEmail('rosa');
	const created = await colab.cli([
		'user:create',
		'--email',
		email,
		'--name',
		'Rosa Diaz',
		'--role',
		'member'
	]);
	expect(created.stderr).toBe('');
	expect(created.code).toBe(0);
	const welcome = await mailbox.waitFor(email, /Your account on CoLab/);
	expect(welcome.text).toContain(`${colab.url}/sign-in/link`);

	await page.goto('/sign-in');
	await axe(page);
	await page.getByRole('link', { name: 'Email me a sign-in link' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Get a sign-in link by email' })
	).toBeVisible();
	await axe(page);
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('button', { name: 'Email me a link' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	await expect(page.getByText('The link works once, for 15 minutes.')).toBeVisible();
	await axe(page);

	const mail = await mailbox.waitFor(email, /Your sign-in link/);
	const link = Mailbox.link(mail, /\/sign-in\/link\?token=/);
	expect(link.startsWith(colab.url)).toBe(true);

	// Opening the link asks for a press, so a mail scanner cannot use it up.
	await page.goto(link);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Sign in with your link' })
	).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
	await expect(page.getByText('Not set: you sign in with emailed links.')).toBeVisible();
	await axe(page);

	// A password for next time.
	await page.getByRole('link', { name: 'Set your password' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Set a password' })).toBeVisible();
	await axe(page);
	await page.getByLabel('New password').fill('rosa picks a long one');
	await page.getByRole('button', { name: 'Set password' }).click();
	await expect(page.getByText('Your password has changed.')).toBeVisible();
	await expect(page.getByText('Not set: you sign in with emailed links.')).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Change your password' })).toBeVisible();
	await axe(page);

	// Where Rosa is signed in, and signing out of every device.
	await page.getByRole('link', { name: 'Where you are signed in' }).click();
	await expect(page.getByRole('cell', { name: /\(this device\)/ })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: 'Sign out of every device, including this one' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await axe(page);
	await page.goto('/account');
	await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount$/);

	// The new password works.
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill('rosa picks a long one');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/account$/);
});
