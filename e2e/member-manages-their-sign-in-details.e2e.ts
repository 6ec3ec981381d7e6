import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, uniqueEmail } from './support/people';

// A member looks after their own sign-in: a new email address (confirmed from the new inbox),
// a new password, signing out everywhere, and a forgotten password.
test.describe('A member managing their sign-in details', () => {
	test('changes their email address, confirming it from the new inbox', async ({
		page,
		colab,
		mailbox,
		browser,
		axe
	}) => {
		const person = await createPerson({ colab, mailbox, browser }, { name: 'Morgan Email' });
		await signIn(page, person);
		await page.goto('/account/email');
		await axe(page);

		// A mistake first: the form says what is wrong and keeps the address.
		await page.getByLabel('New email address').fill('not an address');
		await page.getByLabel('Your password').fill(person.password);
		await page.getByRole('button', { name: 'Send confirmation link' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
		await expect(page.getByLabel('New email address')).toHaveValue('not an address');
		await axe(page);

		const newEmail = uniqueEmail('morgan-new');
		await page.getByLabel('New email address').fill(newEmail);
		await page.getByLabel('Your password').fill(person.password);
		await page.getByRole('button', { name: 'Send confirmation link' }).click();
		await expect(page.getByText(`We have sent a link to ${newEmail}`)).toBeVisible();
		await axe(page);

		// Nothing changes until the new address is confirmed; the old one is told.
		await mailbox.waitFor(person.email, /email address is being changed/i);
		const confirm = await mailbox.waitFor(newEmail, /confirm your new email address/i);
		await page.goto(Mailbox.link(confirm, /\/verify-email\?token=/));
		await axe(page);
		await page.goto('/account');
		await expect(page.getByRole('main')).toContainText(newEmail);

		// The new address now signs in; the old one does not.
		await page.goto('/account/sessions');
		await page
			.getByRole('button', { name: 'Sign out of every device, including this one' })
			.click();
		await page.goto('/sign-in');
		await page.getByLabel('Email address').fill(person.email);
		await page.getByLabel('Password', { exact: true }).fill(person.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
		await signIn(page, { ...person, email: newEmail });
		await expect(page.getByRole('link', { name: 'Your account', exact: true })).toBeVisible();
	});

	test('changes their password and signs out of every device', async ({
		page,
		colab,
		mailbox,
		browser,
		axe
	}) => {
		const person = await createPerson({ colab, mailbox, browser }, { name: 'Robin Password' });
		// Signed in on a second device too.
		const phone = await browser.newContext({ baseURL: colab.url });
		const phonePage = await phone.newPage();
		await signIn(phonePage, person);
		await signIn(page, person);

		await page.goto('/account/password');
		await axe(page);
		await page.getByLabel('Current password').fill('not my password');
		await page.getByLabel('New password').fill('a brand new passphrase');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
		await axe(page);

		await page.getByLabel('Current password').fill(person.password);
		await page.getByLabel('New password').fill('a brand new passphrase');
		await page.getByRole('button', { name: 'Change password' }).click();
		await mailbox.waitFor(person.email, /password was changed/i);

		await page.goto('/account/sessions');
		await axe(page);
		await page
			.getByRole('button', { name: 'Sign out of every device, including this one' })
			.click();
		await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();

		// The other device is signed out too.
		await phonePage.goto('/account');
		await expect(phonePage).toHaveURL(/\/sign-in/);
		await phone.close();

		await signIn(page, { ...person, password: 'a brand new passphrase' });
		await expect(page.getByRole('link', { name: 'Your account', exact: true })).toBeVisible();
	});

	test('resets a forgotten password from an emailed link, which works once', async ({
		page,
		colab,
		mailbox,
		browser,
		axe
	}) => {
		const person = await createPerson({ colab, mailbox, browser }, { name: 'Alex Forgetful' });
		await page.goto('/sign-in');
		await page.getByRole('link', { name: /forgot/i }).click();
		await expect(page).toHaveURL(/\/forgot-password/);
		await axe(page);
		await page.getByLabel('Email address').fill(person.email);
		await page.getByRole('button', { name: 'Send me a link' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
		await axe(page);

		const mail = await mailbox.waitFor(person.email, /reset your password/i);
		const link = Mailbox.link(mail, /\/reset-password\?token=/);
		await page.goto(link);
		await axe(page);
		await page.getByLabel('New password').fill('short');
		await page.getByRole('button', { name: 'Save new password' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
		await page.getByLabel('New password').fill('remembered at last');
		await page.getByRole('button', { name: 'Save new password' }).click();
		await expect(page.getByRole('link', { name: 'Your account', exact: true })).toBeVisible();

		// The same link cannot be used again.
		await page.goto(link);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'This reset link has been used or has expired'
		);
		await axe(page);
	});
});
