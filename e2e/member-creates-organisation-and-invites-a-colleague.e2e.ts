import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn } from './support/people';

// Sam starts an organisation for their carers' charity, invites a colleague by email, and the
// colleague accepts by signing in with the address the invitation was sent to. Someone else
// holding the link cannot use it, and an organisation never loses its last admin.
test('a member creates an organisation and invites a colleague, who accepts', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Okafor' });
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const nosy = await createPerson({ colab, mailbox, browser }, { name: 'Nosy Parker' });
	const orgName = `Riverside Carers ${Date.now()}`;

	await signIn(page, sam, { axe });

	// The organisations list, from the main navigation.
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Organisations' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
	await axe(page);
	await page.getByRole('link', { name: 'Add an organisation' }).click();
	await expect(page).toHaveURL(/\/organisations\/new$/);
	await axe(page);

	// Mistakes are explained beside each field, and what was typed stays.
	await page.getByLabel('Name of the organisation').fill(orgName);
	await page.getByLabel('Website (optional)').fill('javascript:alert(1)');
	await page.getByRole('button', { name: 'Add the organisation' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary.getByRole('link')).toHaveText([
		'Say what the organisation does',
		'Web address must start with http:// or https://'
	]);
	await expect(page.getByLabel('Name of the organisation')).toHaveValue(orgName);
	await axe(page);

	await page
		.getByLabel('What the organisation does')
		.fill('We support unpaid carers: advice, breaks and a voice in how services are designed.');
	await page.getByLabel('Website (optional)').fill('www.riverside-carers.example.org');
	await page.getByRole('button', { name: 'Add the organisation' }).click();

	await expect(page.getByRole('heading', { level: 1, name: orgName })).toBeVisible();
	await expect(
		page.getByText('Your organisation has been added. You are its admin.')
	).toBeVisible();
	const website = page.getByRole('link', { name: 'www.riverside-carers.example.org' });
	await expect(website).toHaveAttribute('href', 'https://www.riverside-carers.example.org/');
	await expect(website).toHaveAttribute('rel', 'nofollow ugc');
	await axe(page);
	const orgPath = new URL(page.url()).pathname;

	// Invite Priya.
	await page.getByRole('link', { name: 'Members and invitations' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: `Members of ${orgName}` })
	).toBeVisible();
	await expect(page.getByText('The only admin')).toBeVisible();
	await axe(page);
	await page.getByLabel('Their email address').fill('not-an-address');
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByLabel('Their email address')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Their email address')).toHaveValue('not-an-address');
	await axe(page);
	await page.getByLabel('Their email address').fill(priya.email);
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await expect(page.getByText(`We have emailed an invitation to ${priya.email}`)).toBeVisible();
	await expect(page.getByRole('cell', { name: priya.email, exact: true })).toBeVisible();
	await axe(page);

	const mail = await mailbox.waitFor(priya.email, /invited to join/);
	expect(mail.subject).toBe(`You are invited to join ${orgName} on CoLab`);
	const link = Mailbox.link(mail, /\/organisations\/invites\//);

	// Someone else signed in cannot use Priya's link.
	const nosyContext = await browser.newContext({ baseURL: colab.url });
	const nosyPage = await nosyContext.newPage();
	await signIn(nosyPage, nosy);
	await nosyPage.goto(link);
	await expect(nosyPage.getByText('Only the person it was sent to can accept it')).toBeVisible();
	await expect(nosyPage.getByRole('button', { name: /^Join/ })).toHaveCount(0);
	await axe(nosyPage);

	// Priya opens the link signed out, signs in, and comes straight back to accept.
	const priyaContext = await browser.newContext({ baseURL: colab.url });
	const priyaPage = await priyaContext.newPage();
	await priyaPage.goto(link);
	await expect(priyaPage.getByRole('heading', { level: 1, name: `Join ${orgName}` })).toBeVisible();
	await axe(priyaPage);
	await priyaPage.getByRole('link', { name: 'Sign in to accept' }).click();
	await expect(priyaPage).toHaveURL(/\/sign-in\?next=%2Forganisations%2Finvites%2F/);
	await signIn(priyaPage, priya, { axe });
	await expect(priyaPage).toHaveURL(link);
	await priyaPage.getByRole('button', { name: `Join ${orgName}` }).click();
	await expect(priyaPage).toHaveURL(new RegExp(`${orgPath}\\?notice=joined$`));
	await expect(priyaPage.getByText('You have joined this organisation.')).toBeVisible();
	await expect(priyaPage.getByText(`You are a member of ${orgName}`)).toBeVisible();
	await axe(priyaPage);

	// The link is used up.
	await nosyPage.goto(link);
	await expect(
		nosyPage.getByRole('heading', { name: 'This invitation has already been used' })
	).toBeVisible();
	await axe(nosyPage);

	// Sam makes Priya an admin, and may then step down.
	await page.reload();
	await expect(page.getByRole('cell', { name: priya.email, exact: true })).toBeVisible();
	await page.getByRole('button', { name: `Make admin ${priya.name}` }).click();
	await expect(page.getByText('The member’s role has changed.')).toBeVisible();
	await expect(page.getByRole('button', { name: `Make member ${priya.name}` })).toBeVisible();
	await axe(page);
	await page.getByRole('button', { name: `Make member ${sam.name}` }).click();
	await expect(
		page.getByText('You are now a member of this organisation, no longer an admin.')
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'Members and invitations' })).toHaveCount(0);
	await axe(page);

	// Now Priya is the only admin: she is not offered a way to step down or leave.
	await priyaPage.goto(`${orgPath}/members`);
	await expect(priyaPage.getByText('The only admin')).toBeVisible();
	await expect(priyaPage.getByRole('button', { name: `Make member ${priya.name}` })).toHaveCount(0);
	await axe(priyaPage);
	await nosyContext.close();
	await priyaContext.close();
});

test('a visitor reads the organisations without signing in', async ({ page, axe }) => {
	await page.goto('/organisations');
	await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
	await axe(page);
	const response = await page.goto('/organisations/no-such-organisation');
	expect(response?.status()).toBe(404);
	await axe(page);
	expect((await page.goto('/organisations?page=999'))?.status()).toBe(404);
	expect((await page.goto('/organisations/new'))?.url()).toMatch(/\/sign-in\?next=/);
});
