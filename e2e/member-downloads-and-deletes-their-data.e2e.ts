import fs from 'node:fs/promises';
import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Priya downloads everything the site holds about her, then deletes her account. Afterwards
// she cannot sign in, and her address is free to sign up again.
test('a member downloads their data and deletes their account', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });

	// A visitor asking for the download is sent to sign in first.
	const anonymous = await page.request.get('/account/data/download', { maxRedirects: 0 });
	expect(anonymous.status()).toBe(303);
	expect(anonymous.headers().location).toBe('/sign-in?next=%2Faccount%2Fdata%2Fdownload');

	await signIn(page, priya, { next: '/account/data', axe });
	await expect(page).toHaveURL(/\/account\/data$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
	await axe(page);

	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download your data' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^colab-your-data-\d{4}-\d\d-\d\d\.json$/);
	const file = await fs.readFile(await download.path(), 'utf8');
	const data = JSON.parse(file) as Record<string, unknown>;
	expect(data).toMatchObject({
		format: 'colab-personal-data/1',
		account: { name: 'Priya Shah', email: priya.email, role: 'member' },
		signInMethods: [{ method: 'password', passwordSet: true }]
	});
	expect((data.sessions as unknown[]).length).toBeGreaterThanOrEqual(1);
	expect(file).not.toContain(priya.password);
	expect(file).not.toMatch(/"(token|password)"\s*:/);

	// The download answers with the right headers, and only ever for the person signed in.
	const direct = await page.request.get('/account/data/download');
	expect(direct.headers()['content-disposition']).toMatch(/^attachment; filename="/);
	expect(direct.headers()['cache-control']).toBe('private, no-store');

	await page.getByRole('link', { name: 'Delete your account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Delete your account' })).toBeVisible();
	await expect(
		page.getByText('Your password is deleted, so nobody can sign in as you.')
	).toBeVisible();
	await axe(page);

	// Keeping what they shared (without their name) is chosen unless they change it.
	await expect(page.getByLabel('Keep them, shown as from a former member')).toBeChecked();
	// Not confirmed: the error summary names the box, and nothing is deleted.
	await page.getByRole('button', { name: 'Delete my account' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary.getByRole('link')).toHaveText([
		'Tick the box to confirm you want to delete your account'
	]);
	await axe(page);

	await page.getByLabel('Remove them').check();
	await page
		.getByLabel('I understand that my account will be deleted and this cannot be undone')
		.check();
	await page.getByRole('button', { name: 'Delete my account' }).click();
	await expect(page).toHaveURL(/\/account-deleted$/);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Your account has been deleted' })
	).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })
	).toBeVisible();
	await axe(page);

	// Signed out here and everywhere; the old password no longer works.
	await page.goto('/account');
	await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount$/);
	await page.getByLabel('Email address').fill(priya.email);
	await page.getByLabel('Password').fill(priya.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByText('The email address or password is not right.')).toBeVisible();
	await axe(page);

	// The same address can make a new account.
	await page.goto('/sign-up');
	await page.getByLabel('Your name').fill('Priya Shah');
	await page.getByLabel('Email address').fill(priya.email);
	await page.getByLabel('Password').fill('a completely new password');
	await page.getByRole('button', { name: 'Create account' }).click();
	const confirm = await mailbox.waitFor(priya.email, /Confirm your email address/);
	expect(confirm.text).toContain('Thank you for creating an account');
	await axe(page);
});
