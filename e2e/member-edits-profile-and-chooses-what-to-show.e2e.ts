import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Alex fills in a profile and chooses, field by field, what others may see. Visitors see only
// what Alex ticked, never the email address; signed-in members see the address once Alex
// chooses to show it.
test('a member edits their profile and chooses what to show', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const alex = await createPerson({ colab, mailbox, browser }, { name: 'Alex Morgan' });
	const reader = await createPerson({ colab, mailbox, browser }, { name: 'Robin Reader' });
	await signIn(page, alex, { axe });

	await page.goto('/account/profile');
	await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
	// Nothing but the name is shown until chosen.
	for (const label of [
		'Your pronouns',
		'About you',
		'The organisations you belong to',
		'Your email address'
	])
		await expect(page.getByRole('checkbox', { name: label })).not.toBeChecked();
	await axe(page);

	await page.getByLabel('Your pronouns (optional)').fill('they/them');
	await page
		.getByLabel('About you (optional)')
		.fill('I care for my dad and volunteer on Tuesdays.');
	await page.getByRole('checkbox', { name: 'Your pronouns' }).check();
	await page.getByRole('checkbox', { name: 'About you' }).check();
	await page.getByRole('button', { name: 'Save your profile' }).click();
	await expect(page.getByText('Your profile is saved.')).toBeVisible();
	await axe(page);

	await page.getByRole('link', { name: 'See how others see it' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Alex Morgan\s*\(they\/them\)/);
	await expect(page.getByText('I care for my dad and volunteer on Tuesdays.')).toBeVisible();
	await expect(page.getByText('This is how other people see your profile.')).toBeVisible();
	await axe(page);
	const profilePath = new URL(page.url()).pathname;

	// A visitor sees the same, and no email address.
	const visitor = await browser.newContext({ baseURL: colab.url });
	const visitorPage = await visitor.newPage();
	await visitorPage.goto(profilePath);
	await expect(visitorPage.getByText('I care for my dad and volunteer on Tuesdays.')).toBeVisible();
	await expect(visitorPage.getByText(alex.email)).toHaveCount(0);
	await axe(visitorPage);

	// Alex now shows the email address (to members only) and hides the bio.
	await page.goto('/account/profile');
	await page.getByRole('checkbox', { name: 'Your email address' }).check();
	await page.getByRole('checkbox', { name: 'About you' }).uncheck();
	await page.getByRole('button', { name: 'Save your profile' }).click();
	await expect(page.getByText('Your profile is saved.')).toBeVisible();

	const readerContext = await browser.newContext({ baseURL: colab.url });
	const readerPage = await readerContext.newPage();
	await signIn(readerPage, reader);
	await readerPage.goto(profilePath);
	await expect(readerPage.getByRole('link', { name: alex.email })).toBeVisible();
	await expect(readerPage.getByText('I care for my dad')).toHaveCount(0);
	await axe(readerPage);

	// The visitor's next look reflects the change at once (the page cache was told), still
	// without the address.
	await visitorPage.goto(profilePath);
	await expect(visitorPage.getByText('I care for my dad')).toHaveCount(0);
	await expect(visitorPage.getByText(alex.email)).toHaveCount(0);
	await axe(visitorPage);

	// Unknown people are not found.
	expect((await visitorPage.goto('/people/nobody-has-this-id'))?.status()).toBe(404);
	await axe(visitorPage);
	await visitor.close();
	await readerContext.close();
});

test('the profile form explains mistakes and keeps what was typed, without JavaScript', async ({
	browser,
	colab,
	mailbox,
	page,
	axe
}) => {
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Noscript' });
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: colab.url });
	const noJs = await context.newPage();
	await signIn(noJs, sam);
	await noJs.goto('/account/profile');
	await noJs.getByLabel('Your name').fill('');
	await noJs.getByLabel('Your pronouns (optional)').fill('she/her');
	await noJs.getByLabel('About you (optional)').fill('x'.repeat(501));
	await noJs.getByRole('checkbox', { name: 'Your pronouns' }).check();
	const [response] = await Promise.all([
		noJs.waitForResponse((r) => r.request().method() === 'POST'),
		noJs.getByRole('button', { name: 'Save your profile' }).click()
	]);
	expect(response.status()).toBe(400);

	const summary = noJs.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary.getByRole('link')).toHaveText([
		'Enter your name',
		'About you must be 500 characters or fewer'
	]);
	await expect(noJs.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');
	await expect(noJs.getByLabel('Your name')).toHaveAccessibleDescription(/Error: Enter your name/);
	await expect(noJs.getByLabel('Your pronouns (optional)')).toHaveValue('she/her');
	await expect(noJs.getByLabel('About you (optional)')).toHaveValue('x'.repeat(501));
	await expect(noJs.getByRole('checkbox', { name: 'Your pronouns' })).toBeChecked();
	await context.close();

	// axe-core needs JavaScript: the same errors, checked in a normal page.
	await signIn(page, sam);
	await page.goto('/account/profile');
	await page.getByLabel('Your name').fill('');
	await page.getByRole('button', { name: 'Save your profile' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeFocused();
	await axe(page);
});
