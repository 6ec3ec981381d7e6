import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

const ADMIN_PAGES = [
	'/admin',
	'/admin/people',
	'/admin/audit',
	'/admin/mail',
	'/admin/settings',
	'/admin/updates'
];

// Visitors are asked to sign in; members and curators are told the pages are not for them,
// and cannot change anyone's role by sending the form themselves.
test.describe('The admin pages', () => {
	test('send a visitor to sign in and back', async ({ page, axe }) => {
		await page.goto('/admin/people');
		await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fpeople$/);
		await axe(page);
	});

	for (const role of ['member', 'curator'] as const) {
		test(`refuse a ${role}`, async ({ page, browser, colab, mailbox, axe }) => {
			const person = await createPerson(
				{ colab, mailbox, browser },
				{ name: role === 'member' ? 'Mo Member' : 'Cat Curator', role }
			);
			await signIn(page, person);
			await expect(
				page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })
			).toHaveCount(0);

			for (const path of ADMIN_PAGES) {
				const response = await page.goto(path);
				expect(response?.status(), path).toBe(403);
				await expect(page.getByRole('heading', { level: 1 })).toHaveText(
					'Only administrators can see this page.'
				);
				await expect(page.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
				await axe(page);
			}

			// Sending the role form by hand (as if it were on the page) is refused too.
			const forged = await page.request.post('/admin/people/anyone', {
				form: { role: 'administrator' },
				headers: { origin: colab.url },
				maxRedirects: 0
			});
			expect(forged.status()).toBe(403);
			const retry = await page.request.post('/admin/mail?/retry', {
				form: { id: 'anything' },
				headers: { origin: colab.url },
				maxRedirects: 0
			});
			expect(retry.status()).toBe(403);
			// So is setting the instance's contact details.
			const contact = await page.request.post('/admin/settings?/contact', {
				form: { contactEmail: `forged-by-a-${role}@example.test` },
				headers: { origin: colab.url },
				maxRedirects: 0
			});
			expect(contact.status()).toBe(403);
			await page.goto('/accessibility');
			await expect(page.getByText(`forged-by-a-${role}@example.test`)).toHaveCount(0);
		});
	}
});
