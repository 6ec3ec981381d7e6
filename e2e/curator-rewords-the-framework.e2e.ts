import type { BrowserContext } from '@playwright/test';
import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { startColab } from './support/server';

const OLD_STATEMENT = 'We asked who is missing, and invited them.';
const NEW_STATEMENT = 'We asked who was missing from the table, and invited them in.';
const NEW_GUIDANCE = 'List who is not in the room yet, and ask one of them this week.';

// A curator rewords one statement and one area's suggestions. A missing note is caught with
// nothing typed lost; saving makes version 2, which the check on your own uses straight away
// (visitors' cached copy included). A plain member is refused the page.
test('a curator rewords the framework, and a member is refused', async ({
	browser,
	mailbox,
	axe
}) => {
	// A server of its own: the new wording would otherwise reach other journeys' checks.
	const colab = await startColab({
		SMTP_URL: mailbox.url,
		DATABASE_URL: '',
		MAIL_FROM: 'CoLab Test <colab@example.test>'
	});
	const contexts: BrowserContext[] = [];
	try {
		const open = async () => {
			const context = await browser.newContext({ baseURL: colab.url });
			contexts.push(context);
			return context.newPage();
		};

		// A visitor reads the check (which keeps a copy for the next visitor) and cannot edit.
		const visitor = await open();
		await visitor.goto('/assessments/check');
		await expect(visitor.getByRole('group', { name: OLD_STATEMENT })).toBeVisible();
		await visitor.goto('/assessments/framework');
		await expect(visitor).toHaveURL(/\/sign-in\?next=%2Fassessments%2Fframework$/);

		const cat = await createPerson(
			{ colab, mailbox, browser },
			{ name: 'Cat Curator', role: 'curator' }
		);
		const page = await open();
		await signIn(page, cat, { next: '/assessments' });
		await page.getByRole('link', { name: 'edit the statements, areas and suggestions' }).click();
		await expect(
			page.getByRole('heading', { level: 1, name: 'Edit the co-production framework' })
		).toBeVisible();
		await expect(
			page.getByText('Assessments already started keep the version').first()
		).toBeVisible();
		await expect(page.getByRole('definition').first()).toHaveText('1');
		await axe(page);

		const area = page.getByRole('group', { name: /^Area 2:/ });
		await expect(area.getByLabel('Statement 3', { exact: true })).toHaveValue(OLD_STATEMENT);
		await area.getByLabel('Statement 3', { exact: true }).fill(NEW_STATEMENT);
		await area.getByLabel('Suggestions when this area comes out weakest').fill(NEW_GUIDANCE);

		// No note: a message linked to the field, and every change kept.
		const refused = page.waitForResponse((r) => r.request().method() === 'POST');
		await page.getByRole('button', { name: 'Save as a new version' }).click();
		expect((await refused).status()).toBe(400);
		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toBeVisible();
		await expect(page).toHaveTitle(/^Error: /);
		await summary.getByRole('link', { name: 'Say what changed' }).click();
		await expect(page.getByLabel('What changed?')).toBeFocused();
		await expect(area.getByLabel('Statement 3', { exact: true })).toHaveValue(NEW_STATEMENT);
		await expect(area.getByLabel('Suggestions when this area comes out weakest')).toHaveValue(
			NEW_GUIDANCE
		);
		await axe(page);

		// Meanwhile the same form is open in another tab, on version 1.
		const tab = await page.context().newPage();
		await tab.goto('/assessments/framework');

		await page.getByLabel('What changed?').fill('Plainer words for “who is missing”.');
		await page.getByRole('button', { name: 'Save as a new version' }).click();
		await expect(page).toHaveURL(/\/assessments\/framework\?saved=2#saved$/);
		await expect(page.getByRole('alert').filter({ hasText: 'Version 2 is saved.' })).toBeVisible();
		await expect(page.getByRole('definition').first()).toHaveText('2');
		await expect(page.getByText('Plainer words for “who is missing”.')).toBeVisible();
		await expect(page.getByRole('definition').nth(1)).toContainText(', by Cat Curator');
		await expect(page.getByRole('listitem').filter({ hasText: 'Version 1' })).toContainText(
			'The first version.'
		);
		await expect(area.getByLabel('Statement 3', { exact: true })).toHaveValue(NEW_STATEMENT);
		await axe(page);

		// The other tab saves too late: nothing it typed is lost, and the newer wording is shown.
		const late = tab.getByRole('group', { name: /^Area 2:/ });
		await late.getByLabel('Statement 3', { exact: true }).fill('Who else should be here?');
		await tab.getByLabel('What changed?').fill('A question instead.');
		const conflict = tab.waitForResponse((r) => r.request().method() === 'POST');
		await tab.getByRole('button', { name: 'Save as a new version' }).click();
		expect((await conflict).status()).toBe(409);
		await expect(tab.getByRole('alert')).toContainText(
			'Someone else saved version 2 while you were editing'
		);
		await expect(late.getByLabel('Statement 3', { exact: true })).toHaveValue(
			'Who else should be here?'
		);
		await expect(
			late.getByText(`Version 2 (saved while you were editing) says: “${NEW_STATEMENT}”`)
		).toBeVisible();
		// What this tab left alone now has version 2's wording, so saving again would not undo it.
		await expect(late.getByLabel('Suggestions when this area comes out weakest')).toHaveValue(
			NEW_GUIDANCE
		);
		await expect(tab.getByLabel('What changed?')).toHaveValue('A question instead.');
		await axe(tab);
		await tab.close();

		// The check on your own uses the new version, for the visitor too.
		await visitor.goto('/assessments/check');
		await expect(visitor.getByRole('group', { name: NEW_STATEMENT })).toBeVisible();
		await expect(visitor.getByRole('group', { name: OLD_STATEMENT })).toHaveCount(0);

		// A plain member is refused, and is not pointed at the page.
		const mo = await createPerson({ colab, mailbox, browser }, { name: 'Mo Member' });
		const member = await open();
		await signIn(member, mo, { next: '/assessments' });
		await expect(
			member.getByRole('link', { name: 'edit the statements, areas and suggestions' })
		).toHaveCount(0);
		const response = await member.goto('/assessments/framework');
		expect(response?.status()).toBe(403);
		await expect(member.getByRole('heading', { level: 1 })).toHaveText(
			'Only curators can change the co-production framework.'
		);
		await axe(member);
		const forged = await member.request.post('/assessments/framework', {
			form: { note: 'Sneaky.' },
			headers: { origin: colab.url },
			maxRedirects: 0
		});
		expect(forged.status()).toBe(403);
	} finally {
		for (const context of contexts) await context.close();
		await colab.stop();
	}
});
