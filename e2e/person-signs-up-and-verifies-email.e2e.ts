import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { uniqueEmail } from './support/people';

// Jo hears about CoLab, creates an account, confirms their address from the email and is
// signed in. Later someone tries to sign up with Jo's address again: the page says exactly the
// same thing, and Jo gets an email about it instead of a second account.
test('a person signs up, confirms their email address from the mail and is signed in', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const email = uniqueEmail('jo');
	const password = 'three unrelated words';

	await page.goto('/');
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Create an account' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
	// Each question says why it is asked.
	await expect(page.getByText('Other members see this on what you write')).toBeVisible();
	await expect(page.getByText('We never show it to other members')).toBeVisible();
	await expect(page.getByText('At least 10 characters.')).toBeVisible();
	await axe(page);

	// A name over the limit is never cut while typing: the hint says the limit, and the server
	// says what is wrong with every character typed still in the box.
	const name = page.getByLabel('Your name');
	await expect(name).not.toHaveAttribute('maxlength');
	await expect(page.getByText('Up to 100 characters.')).toBeVisible();
	const longName = `Jo ${'Adeyemi-'.repeat(13)}Okonkwo`;
	expect(longName.length).toBeGreaterThan(100);
	await name.pressSequentially(longName, { delay: 0 });
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('alert')).toContainText('Name must be 100 characters or fewer');
	await expect(page.locator('#name-error')).toContainText('Name must be 100 characters or fewer');
	await expect(name).toHaveValue(longName);
	await expect(page.getByLabel('Email address')).toHaveValue(email);
	await axe(page);

	await name.fill('Jo Adeyemi');
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page).toHaveURL(/\/sign-up\/check-email$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	await axe(page);

	const mail = await mailbox.waitFor(email, /Confirm your email address/);
	expect(mail.subject).toBe('Confirm your email address for CoLab');
	expect(mail.text).toContain('Hello Jo Adeyemi,');
	expect(mail.html).toContain('Confirm your email address');
	const link = Mailbox.link(mail, /\/verify-email\?token=/);
	expect(link.startsWith(colab.url)).toBe(true);
	expect(link).not.toContain('/api/auth');

	// Before confirming, the password does not sign them in yet.
	await page.goto('/sign-in');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('You need to confirm your email address');
	await axe(page);

	await page.goto(link);
	await expect(page).toHaveURL(/\/account\?changed=confirmed$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
	await expect(page.getByText('Your email address is confirmed. Welcome!')).toBeVisible();
	await expect(page.getByText(email)).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' })
	).toBeVisible();
	const cookies = await page.context().cookies();
	const session = cookies.find((c) => c.name === 'colab.session_token');
	expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
	await axe(page);

	// Opening the link again does no harm and says so.
	await page.goto(link);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Your email address is already confirmed' })
	).toBeVisible();
	await axe(page);

	// Sign out, then back in with the password.
	await page.goto('/account');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByText('You are signed out on this device.')).toBeVisible();
	await axe(page);
	await page.goto('/sign-in');
	await page.getByLabel('Email address').fill(email.toUpperCase());
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/account$/);

	// Someone else tries Jo's address: same answer, no second account, and Jo is told.
	const other = await browser.newContext({ baseURL: colab.url });
	const otherPage = await other.newPage();
	await otherPage.goto('/sign-up');
	await otherPage.getByLabel('Your name').fill('Someone Else');
	await otherPage.getByLabel('Email address').fill(email);
	await otherPage.getByLabel('Password', { exact: true }).fill('a different password');
	await otherPage.getByRole('button', { name: 'Create account' }).click();
	await expect(otherPage).toHaveURL(/\/sign-up\/check-email$/);
	await expect(
		otherPage.getByRole('heading', { level: 1, name: 'Check your email' })
	).toBeVisible();
	await other.close();
	const notice = await mailbox.waitFor(email, /You already have an account/);
	expect(notice.text).toContain('Someone tried to create a CoLab account with this email address');
	expect(notice.text).toContain(`${colab.url}/forgot-password`);
});
