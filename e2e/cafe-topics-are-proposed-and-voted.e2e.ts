import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// A Knowledge Café: people with a place propose topics and share three dots each. The host
// closes the vote; the top topics become tables; a table's host writes its harvest, which
// then shows on the event page.
test('café topics are proposed and voted on, and become tables with a harvest', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	async function axeAtBothWidths(p: typeof page) {
		await axe(p);
		await p.setViewportSize({ width: 390, height: 844 });
		await axe(p);
		await p.setViewportSize({ width: 1280, height: 720 });
	}
	const host = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Chris Host', role: 'curator' }
	);
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Taylor' });
	const title = `Knowledge Café ${Date.now()}`;

	await signIn(page, host);
	const eventId = await hostEvent(page, { title, format: 'Knowledge Café', places: '20' });
	const cafePath = `/events/${eventId}/cafe`;

	async function bookAndOpen(person: typeof priya) {
		const context = await browser.newContext({ baseURL: colab.url });
		const p = await context.newPage();
		await signIn(p, person, { next: `/events/${eventId}` });
		await p.getByRole('button', { name: 'Book a place' }).click();
		await expect(p.getByText('You have a place.', { exact: true })).toBeVisible();
		await p.getByRole('link', { name: 'Propose topics and vote' }).click();
		await expect(p.getByRole('heading', { level: 1, name: `Topics for ${title}` })).toBeVisible();
		await p.waitForLoadState('networkidle');
		return { context, p };
	}

	// Priya proposes two topics; an empty one is refused with a message.
	const priyaSide = await bookAndOpen(priya);
	const pp = priyaSide.p;
	await expect(pp.getByText('You have 3 dots left.')).toBeVisible();
	await pp.getByRole('button', { name: 'Propose the topic' }).click();
	await expect(pp.getByLabel('Your topic')).toHaveAttribute('aria-invalid', 'true');
	await axe(pp);
	await pp.getByLabel('Your topic').fill('Carers who work full time');
	await pp.getByRole('button', { name: 'Propose the topic' }).click();
	await expect(pp.getByText('Your topic is added.')).toBeVisible();
	await pp.getByLabel('Your topic').fill('Loneliness after a diagnosis');
	await pp.getByRole('button', { name: 'Propose the topic' }).click();
	await expect(pp.getByRole('heading', { name: 'Loneliness after a diagnosis' })).toBeVisible();

	// Priya puts two dots on one topic and one on the other, then has none left. An older tab
	// still shows the buttons from before.
	const olderTab = await priyaSide.context.newPage();
	await olderTab.goto(cafePath);
	await pp.getByRole('button', { name: 'Give a dot to Loneliness after a diagnosis' }).click();
	await expect(pp.getByText('You have 2 dots left.')).toBeVisible();
	await pp.getByRole('button', { name: 'Give a dot to Loneliness after a diagnosis' }).click();
	await pp.getByRole('button', { name: 'Give a dot to Carers who work full time' }).click();
	// With no dots left, no button offers one; she can still take one back to move it.
	await expect(pp.getByText('You have no dots left.')).toBeVisible();
	await expect(pp.getByText('To move a dot, take it back from a topic first.')).toBeVisible();
	await expect(pp.getByRole('button', { name: /^Give a dot/ })).toHaveCount(0);
	await expect(
		pp.getByRole('button', { name: 'Take a dot back from Carers who work full time' })
	).toBeVisible();
	await axeAtBothWidths(pp);
	// The server refuses a dot from the older tab too.
	await olderTab.getByRole('button', { name: 'Give a dot to Carers who work full time' }).click();
	await expect(
		olderTab.getByRole('alert').filter({ hasText: 'You have used all your dots' })
	).toBeVisible();
	await expect(olderTab.getByRole('button', { name: /^Give a dot/ })).toHaveCount(0);
	await axe(olderTab);
	await priyaSide.context.close();

	// Sam adds a topic and votes for it, and for Priya's.
	const samSide = await bookAndOpen(sam);
	const sp = samSide.p;
	await sp.getByLabel('Your topic').fill('Evening groups');
	await sp.getByRole('button', { name: 'Propose the topic' }).click();
	await sp.getByRole('button', { name: 'Give a dot to Evening groups' }).click();
	await sp.getByRole('button', { name: 'Give a dot to Carers who work full time' }).click();
	await sp.getByRole('button', { name: 'Give a dot to Carers who work full time' }).click();
	await expect(sp.getByText('You have no dots left.')).toBeVisible();
	// Topics are listed with most dots first: Carers 3, Loneliness 2, Evening 1.
	await expect(
		sp.getByRole('list').filter({ hasText: 'Evening groups' }).getByRole('heading')
	).toHaveText(['Carers who work full time', 'Loneliness after a diagnosis', 'Evening groups']);
	await samSide.context.close();

	// The host closes the vote with two tables.
	await page.goto(cafePath);
	await axe(page);
	await page.getByLabel('How many tables?').fill('2');
	await page.getByRole('button', { name: 'Close the vote and set the tables' }).click();
	await expect(
		page.getByText('The vote is closed, and the top topics are now tables.')
	).toBeVisible();
	await expect(
		page.getByRole('heading', { name: 'Table 1: Carers who work full time' })
	).toBeVisible();
	await expect(
		page.getByRole('heading', { name: 'Table 2: Loneliness after a diagnosis' })
	).toBeVisible();
	// Only the chosen topics are listed as tables; the one left out has a heading of its own.
	const tablesList = page.getByRole('list').filter({ hasText: 'Table 1:' });
	await expect(tablesList.getByRole('heading')).toHaveText([
		'Table 1: Carers who work full time',
		'Table 2: Loneliness after a diagnosis'
	]);
	await expect(
		page.getByRole('heading', { level: 2, name: 'Other topics proposed' })
	).toBeVisible();
	await expect(
		page.getByRole('list').filter({ hasText: 'Evening groups' }).getByRole('heading')
	).toHaveText(['Evening groups']);
	await axeAtBothWidths(page);

	// Priya hosted table 1 (she proposed it) and writes its harvest.
	const again = await browser.newContext({ baseURL: colab.url });
	const writer = await again.newPage();
	await signIn(writer, priya, { next: cafePath });
	await writer
		.getByRole('textbox', { name: 'Write the harvest' })
		.first()
		.fill('- Employers could offer **carer’s leave**\n- Evening drop-ins help');
	await writer
		.getByRole('button', { name: 'Save the harvest for Carers who work full time' })
		.click();
	await expect(writer.getByText('The harvest is saved.')).toBeVisible();
	await writer.goto(`/events/${eventId}`);
	await expect(
		writer.getByRole('heading', { name: 'Table 1: Carers who work full time' })
	).toBeVisible();
	await expect(writer.getByText('carer’s leave')).toBeVisible();
	await axe(writer);
	await again.close();
});
