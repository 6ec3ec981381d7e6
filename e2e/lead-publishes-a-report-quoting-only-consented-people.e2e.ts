import { test, expect, expectAccessible } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn } from './support/people';
import {
	insertTestCoding,
	insertTestEnquiry,
	insertTestInterview,
	insertTestParticipant
} from '../src/lib/server/enquiries/enquiries.testing';

// Lena leads an enquiry whose interviews are coded. Olu, not on the team, cannot open the draft
// report or print it. Lena writes a section on a theme and picks quotes: Priya agreed to be
// quoted by name, so her words can go in; Participant 2 asked not to be quoted, so the page says
// why and offers no button. Lena checks consent and publishes; a visitor then prints the report
// with Priya's words attributed and nothing of Participant 2's. Every page passes axe.
test('a lead publishes a report that quotes only people who consented', async ({
	browser,
	colab,
	mailbox
}) => {
	test.setTimeout(300_000);
	const lena = await createPerson({ colab, mailbox, browser }, { name: 'Lena Lead' });
	const olu = await createPerson({ colab, mailbox, browser }, { name: 'Olu Outside' });

	const database = openServerDatabase(colab);
	const enquiryId = await (async () => {
		try {
			const db = database.db;
			const lead = await db
				.selectFrom('app_user')
				.select('id')
				.where('email', '=', lena.email.toLowerCase())
				.executeTakeFirstOrThrow();
			const enquiryId = await insertTestEnquiry(db, lead.id, { stage: 'reporting' });
			const priya = await insertTestParticipant(db, enquiryId, { label: 'Priya', quote: 'name' });
			const quiet = await insertTestParticipant(db, enquiryId, {
				label: 'Participant 2',
				perspective: 'volunteer',
				quote: 'none'
			});
			const said = 'We were asked from the start. It felt like ours.';
			const unsaid = 'Please do not quote me: the manager never listened.';
			const i1 = await insertTestInterview(db, enquiryId, priya, said);
			const i2 = await insertTestInterview(db, enquiryId, quiet, unsaid);
			await insertTestCoding(db, enquiryId, i1, { start: 0, end: 29 }, ['A voice for people']);
			await insertTestCoding(db, enquiryId, i2, { start: 0, end: unsaid.length }, [
				'A voice for people'
			]);
			return enquiryId;
		} finally {
			await database.close();
		}
	})();
	const report = `/enquiries/${enquiryId}/report`;

	// Olu is not on the team: the draft and its print layout are refused, their words unseen.
	const oluContext = await browser.newContext({ baseURL: colab.url });
	const oluPage = await oluContext.newPage();
	await signIn(oluPage, olu, { next: '/' });
	for (const path of [report, `/enquiries/${enquiryId}/print`]) {
		const response = await oluPage.goto(path);
		expect(response?.status()).toBe(403);
		await expect(
			oluPage.getByText('Only the enquiry’s team can see its draft report.')
		).toBeVisible();
		await expect(oluPage.getByText('We were asked from the start')).toHaveCount(0);
	}
	await oluContext.close();

	// Lena writes a section; an empty heading gets a clear message.
	const context = await browser.newContext({ baseURL: colab.url });
	const page = await context.newPage();
	await signIn(page, lena, { next: report });
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Report:');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Add a section' }).click();
	await page.getByRole('button', { name: 'Add the section' }).click();
	await expect(page.getByRole('alert')).toContainText('Give the section a heading');
	await expectAccessible(page);
	await page.getByLabel('Heading').fill('Being heard');
	await page.getByLabel('What you found').fill('People want to be **asked early**.');
	await page.getByLabel('Theme (optional)').selectOption('A voice for people');
	await page.getByRole('button', { name: 'Add the section' }).click();
	await expect(page.getByText('The section is added.')).toBeVisible();
	await expectAccessible(page);

	// The picker starts at the section's theme: one quotable excerpt, one that cannot be quoted.
	await page.getByRole('link', { name: 'Add quotes from coded excerpts' }).click();
	await expect(page.getByText('2 excerpts.')).toBeVisible();
	await expect(page.getByText('They asked not to be quoted.')).toBeVisible();
	await expect(page.getByRole('button', { name: /Add this quote/ })).toHaveCount(1);
	await expect(page.getByText('Priya, a carer')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: /Add this quote/ }).click();
	await expect(page.getByText('The quote is added.')).toBeVisible();
	await expect(page.getByText('Already in this section.')).toBeVisible();

	// The draft reads as it will: the quote with its attribution.
	await page.goto(report);
	await expect(page.locator('blockquote')).toContainText('We were asked from the start');
	await expect(page.locator('cite')).toHaveText('Priya, a carer');

	// The consent check lists Priya; publishing needs the box ticked.
	await page.getByRole('link', { name: 'Check consent and publish' }).click();
	await expect(page.getByRole('row', { name: /Priya/ })).toContainText('By name and perspective');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Publish the report' }).click();
	await expect(page.getByRole('alert')).toContainText('checked everyone’s consent');
	await page.getByLabel('I have checked consent for everyone quoted').check();
	await page.getByLabel('Start a blog post about the report').check();
	await page.getByRole('button', { name: 'Publish the report' }).click();
	await expect(page.getByText('The report is published.')).toBeVisible();
	await expect(
		page.getByRole('link', { name: 'Finish the blog post about the report' })
	).toBeVisible();
	await expectAccessible(page);
	await context.close();

	// A visitor prints it: Priya's words, attributed; nothing of Participant 2's.
	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto(`/enquiries/${enquiryId}/print`);
	await expect(visitor.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(visitor.locator('blockquote')).toContainText('We were asked from the start');
	await expect(visitor.locator('cite')).toHaveText('Priya, a carer');
	await expect(visitor.getByText('the manager never listened')).toHaveCount(0);
	await expectAccessible(visitor);
	await visitorContext.close();
});
