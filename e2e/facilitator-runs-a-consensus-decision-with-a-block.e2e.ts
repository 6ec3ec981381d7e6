import { test, expect } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import { createPerson, signIn, type Person } from './support/people';
import type { RunningServer } from './support/server';

// Fay puts a question to a named group (herself, Ann and Bob) by consensus. Ann agrees. Bob,
// with JavaScript off, blocks: first without a reason (refused with a clear message, his choice
// kept), then with one. Fay closes it and writes the outcome "not passed"; she starts a second
// round with a changed proposal, linked to the first; both agree, and it passes. Every page
// with JavaScript passes axe at both widths.
test('a facilitator runs a consensus decision; a block is addressed in a second round', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(480_000);
	const fay = await createPerson({ colab, mailbox, browser }, { name: 'Fay Facilitator' });
	const ann = await createPerson({ colab, mailbox, browser }, { name: 'Ann Agree' });
	const bob = await createPerson({ colab, mailbox, browser }, { name: 'Bob Block' });
	const question = 'Should the carers’ forum meet in the evening?';
	const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

	const fayPage = await signedIn(browser, colab, fay, '/decisions');
	await expect(fayPage.getByRole('heading', { level: 1, name: 'Decisions' })).toBeVisible();
	await axe(fayPage);

	// An empty form says what is missing, beside each field.
	await fayPage.getByRole('link', { name: 'Start a decision' }).click();
	await fayPage.waitForLoadState('networkidle');
	await axe(fayPage);
	await fayPage.getByRole('button', { name: 'Save as a draft' }).click();
	await expect(fayPage.getByRole('alert')).toContainText('Enter the question to decide');
	await axe(fayPage);
	await fayPage.getByLabel('The question').fill(question);
	await fayPage
		.getByLabel('The proposal, or what people need to know')
		.fill('Move the forum to **6pm**, so carers who work can come.');
	await fayPage.getByRole('radio', { name: /^Consensus/ }).check();
	await fayPage.getByRole('radio', { name: 'A named group of people' }).check();
	await fayPage
		.getByLabel('Named group (when a named group takes part)')
		.fill([fay.email, ann.email, bob.email].join('\n'));
	await fayPage.getByLabel('Closing date').fill(inAWeek);
	await fayPage.getByRole('button', { name: 'Save as a draft' }).click();
	await expect(fayPage.getByRole('heading', { level: 1, name: question })).toBeVisible();
	await expect(fayPage.getByText('Your decision is saved as a draft.')).toBeVisible();
	await expect(
		fayPage.getByRole('heading', { name: 'How it will be decided: Consensus' })
	).toBeVisible();
	await expect(fayPage.getByText(/A block is a serious objection/)).toBeVisible();
	await axe(fayPage);
	const firstRound = new URL(fayPage.url()).pathname;

	await fayPage.getByRole('link', { name: 'Change the decision' }).click();
	await fayPage.waitForLoadState('networkidle');
	await expect(fayPage.getByLabel('The question')).toHaveValue(question);
	await axe(fayPage);
	await fayPage.goto(`${firstRound}/people`);
	await expect(fayPage.getByRole('listitem').filter({ hasText: 'Bob Block' })).toBeVisible();
	await axe(fayPage);
	await fayPage.goto(firstRound);
	await fayPage.getByRole('button', { name: 'Open it and invite people' }).click();
	await expect(fayPage.getByText('The decision is open.')).toBeVisible();

	// Ann agrees.
	const annPage = await signedIn(browser, colab, ann, firstRound);
	await annPage.getByRole('radio', { name: /^Agree/ }).check();
	await annPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(annPage.getByText('Your response is saved.')).toBeVisible();
	await axe(annPage);

	// Bob, without JavaScript, blocks without a reason: refused, his choice kept; then with one.
	const bobContext = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const bobPage = await bobContext.newPage();
	await signIn(bobPage, bob, { next: firstRound });
	await bobPage.getByRole('radio', { name: /^Block/ }).check();
	await bobPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(bobPage.getByRole('alert')).toContainText('A block needs a reason');
	await expect(bobPage.getByRole('radio', { name: /^Block/ })).toBeChecked();
	await bobPage
		.getByLabel('Your reason (needed for a block)')
		.fill('Many carers cannot leave home in the evening.');
	await bobPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(bobPage.getByText('Your response is saved.')).toBeVisible();
	await expect(bobPage.getByText('A block stands')).toBeVisible();
	await expect(
		bobPage
			.getByRole('region', { name: 'What people have said so far' })
			.getByRole('listitem')
			.filter({ hasText: 'Bob Block' })
	).toContainText('Many carers cannot leave home in the evening.');

	// Fay closes it: the block stands, so it has not passed.
	await fayPage.reload();
	await expect(fayPage.getByText('2 responses from 3 people asked.')).toBeVisible();
	await fayPage.getByRole('button', { name: 'Close it now' }).click();
	await expect(
		fayPage.getByRole('heading', { level: 1, name: `Outcome of “${question}”` })
	).toBeVisible();
	await axe(fayPage);
	await fayPage.getByRole('radio', { name: 'Not passed' }).check();
	await fayPage
		.getByLabel('The outcome')
		.fill('Not passed: Bob blocked, as evenings shut many carers out. We will try both times.');
	await fayPage.getByRole('button', { name: 'Publish the outcome' }).click();
	await expect(fayPage.getByRole('heading', { name: 'Outcome: not passed' })).toBeVisible();

	// The second round, with a changed proposal, linked to the first.
	await fayPage.getByRole('link', { name: 'Start a new round with a changed proposal' }).click();
	await fayPage.waitForLoadState('networkidle');
	await axe(fayPage);
	await fayPage
		.getByLabel('The changed proposal')
		.fill('Meet **twice**: at 10am and at 6pm, with the same agenda.');
	await fayPage.getByLabel('Closing date').fill(inAWeek);
	await fayPage.getByRole('button', { name: 'Save the new round as a draft' }).click();
	await expect(fayPage.getByText('The new round is saved as a draft.')).toBeVisible();
	await expect(fayPage.getByRole('link', { name: 'Round 1: the earlier round' })).toBeVisible();
	const secondRound = new URL(fayPage.url()).pathname;
	await fayPage.getByRole('button', { name: 'Open it and invite people' }).click();
	await expect(fayPage.getByText('The decision is open.')).toBeVisible();

	await annPage.goto(secondRound);
	await annPage.getByRole('radio', { name: /^Agree/ }).check();
	await annPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(annPage.getByText('Your response is saved.')).toBeVisible();
	await bobPage.goto(secondRound);
	await bobPage.getByRole('radio', { name: /^Agree/ }).check();
	await bobPage
		.getByLabel('Your reason (needed for a block)')
		.fill('The daytime meeting keeps carers in.');
	await bobPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(bobPage.getByText('Your response is saved.')).toBeVisible();

	await fayPage.reload();
	await fayPage.getByRole('button', { name: 'Close it now' }).click();
	await fayPage.getByRole('radio', { name: 'Passed', exact: true }).check();
	await fayPage
		.getByLabel('The outcome')
		.fill('Passed: from January the forum meets at 10am and at 6pm.');
	await fayPage.getByRole('button', { name: 'Publish the outcome' }).click();
	await expect(fayPage.getByRole('heading', { name: 'Outcome: passed' })).toBeVisible();
	await axe(fayPage);

	// The first round links to the second; the list shows both as closed.
	await annPage.goto(firstRound);
	await annPage.getByRole('link', { name: 'Round 2: the next round' }).click();
	await expect(annPage.getByRole('heading', { name: 'Outcome: passed' })).toBeVisible();
	await bobContext.close();
});

async function signedIn(
	browser: Browser,
	colab: RunningServer,
	person: Person,
	next: string
): Promise<Page> {
	const context = await browser.newContext({ baseURL: colab.url });
	const page = await context.newPage();
	await signIn(page, person, { next });
	await page.waitForLoadState('networkidle');
	return page;
}
