import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Ada, an administrator, finds Morgan in the people list, makes them a curator, and sees the
// change in the audit log with her name on it.
test('an administrator changes a role and the audit log records it', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const ada = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Ada Okafor', role: 'administrator' }
	);
	const morgan = await createPerson({ colab, mailbox, browser }, { name: 'Morgan Blake' });

	await signIn(page, ada, { next: '/admin', axe });
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
	await axe(page);

	await page
		.getByRole('navigation', { name: 'Administration' })
		.getByRole('link', { name: 'People' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
	await axe(page);

	await page.getByLabel('Name or email address').fill(morgan.email);
	await page.getByLabel('Role').selectOption('member');
	await page.getByRole('main').getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/search=/);
	await expect(page.getByRole('status')).toHaveText(/1 person match/);
	await axe(page);

	await page.getByRole('link', { name: 'Morgan Blake' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Morgan Blake' })).toBeVisible();
	// Morgan's account was made from the command line, which the history already shows.
	const history = page.getByRole('table', { name: 'Administrative actions about Morgan Blake' });
	await expect(history.getByRole('row')).toHaveCount(2);
	await expect(history).toContainText('Created an account for Morgan Blake as member');
	await axe(page);

	await page.getByLabel('Curator').check();
	await page.getByRole('button', { name: 'Save role' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Done' })).toContainText(
		'Morgan Blake is now a curator. The change is in the audit log.'
	);
	await expect(page.getByLabel('Curator')).toBeChecked();
	await expect(history.getByRole('row')).toHaveCount(3);
	await expect(history.getByRole('row').nth(1)).toContainText('Ada Okafor');
	await expect(history.getByRole('row').nth(1)).toContainText(
		'Changed the role of Morgan Blake from member to curator'
	);
	await axe(page);

	await page
		.getByRole('navigation', { name: 'Administration' })
		.getByRole('link', { name: 'Audit log' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
	const entry = page
		.getByRole('row')
		.filter({ hasText: 'Changed the role of Morgan Blake from member to curator' });
	await expect(entry).toHaveCount(1);
	await expect(entry.getByRole('cell').nth(1)).toHaveText('Ada Okafor');
	await axe(page);

	await page
		.getByRole('navigation', { name: 'Administration' })
		.getByRole('link', { name: 'Mail problems' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Mail problems' })).toBeVisible();
	await expect(page.getByText(/Right now\s+\d+\s+emails?\s+(is|are)\s+waiting/)).toBeVisible();
	await expect(page.getByText(/go\s+out\s+again\s+within\s+about\s+a\s+minute/)).toBeVisible();
	await axe(page);

	// Morgan's new role shows in the list filtered by role.
	await page.goto(`/admin/people?role=curator&search=${encodeURIComponent(morgan.email)}`);
	await expect(page.getByRole('row').filter({ hasText: 'Morgan Blake' })).toContainText('Curator');
	await axe(page);
});

test('an administrator who steps down loses the admin pages at once, without JavaScript', async ({
	browser,
	colab,
	mailbox
}) => {
	const admin = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Noor Admin', role: 'administrator' }
	);
	// Someone else can still run the site, so Noor may step down.
	await createPerson({ colab, mailbox, browser }, { name: 'Ola Admin', role: 'administrator' });
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: colab.url });
	const page = await context.newPage();
	await signIn(page, admin, { next: '/admin/people' });
	await page.getByLabel('Name or email address').fill(admin.email);
	await page.getByRole('main').getByRole('button', { name: 'Search' }).click();
	await page.getByRole('link', { name: 'Noor Admin' }).click();
	const personUrl = page.url();
	await expect(page.getByText('This is you.')).toBeVisible();

	await page.getByLabel('Member').check();
	await page.getByRole('button', { name: 'Save role' }).click();
	await expect(page).toHaveURL(/\/account$/);
	const refused = await page.goto(personUrl);
	expect(refused?.status()).toBe(403);
	await context.close();
});
