import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { sameMarkup } from './support/markup';

// Cora, a curator, starts the shared statement from a Markdown draft, checking what it found
// first. Amy proposes an amendment to a clause, with a reason. Sam, without JavaScript,
// supports it and comments. Cora puts it to a consensus decision of all members: Sam blocks
// with a reason, so round 1 does not pass; round 2 answers the block and passes. Cora records
// it as agreed, which makes version 2 (it cannot be recorded while the decision is open): the
// statement shows the new words, the versions page links the decision, and the comparison
// marks the added words in a way that does not rely on colour. Ola, the admin of a carers' charity, endorses version 2 for it; Sam, only a member
// of it, cannot. Every page with JavaScript passes axe at both widths.
test('a member amends the statement, others support it, a decision agrees it in a second round, and an organisation endorses it', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(480_000);
	const cora = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cora Curator', role: 'curator' }
	);
	const amy = await createPerson({ colab, mailbox, browser }, { name: 'Amy Author' });
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Supporter' });
	const ola = await createPerson({ colab, mailbox, browser }, { name: 'Ola Admin' });

	// Cora starts the statement: an empty try says what is missing, a check reports what it found.
	const coraPage = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(coraPage, cora, { next: '/statement' });
	await expect(coraPage.getByRole('heading', { level: 1, name: 'Shared statement' })).toBeVisible();
	await axe(coraPage);
	await coraPage.getByRole('link', { name: 'Start the statement' }).click();
	await coraPage.waitForLoadState('networkidle');
	await coraPage.getByRole('button', { name: 'Start the statement' }).click();
	await expect(coraPage.getByRole('alert')).toContainText('Enter a title for the statement');
	await axe(coraPage);
	await coraPage.getByLabel('Title', { exact: true }).fill('Our shared statement');
	await coraPage
		.getByLabel('The first draft, in Markdown')
		.fill(
			'## Our vision\n\nPeople who use services and staff design them together.\n\nEveryone’s knowledge counts.\n\n## How we work\n\n- We share power from the start.\n- We say what changed.\n'
		);
	await coraPage.getByRole('button', { name: 'Check the draft' }).click();
	await expect(coraPage.getByRole('region', { name: 'What we found in the draft' })).toContainText(
		'2 sections and 4 clauses'
	);
	await axe(coraPage);
	await coraPage.getByRole('button', { name: 'Start the statement' }).click();
	await expect(coraPage.getByText('The statement is started.')).toBeVisible();
	await expect(
		coraPage.getByRole('heading', { level: 1, name: 'Our shared statement' })
	).toBeVisible();

	// Amy proposes an amendment to clause 1.1; a first try without a reason is refused.
	const amyPage = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(amyPage, amy, { next: '/statement' });
	await axe(amyPage);
	await amyPage.getByRole('link', { name: 'Propose an amendment to clause 1.1' }).click();
	await amyPage.waitForLoadState('networkidle');
	await expect(
		amyPage.getByRole('heading', { level: 1, name: 'Propose an amendment' })
	).toBeVisible();
	await amyPage
		.getByLabel('The words you propose')
		.fill('People who use services and staff design and deliver them together.');
	await amyPage.getByRole('button', { name: 'Propose the amendment' }).click();
	await expect(amyPage.getByRole('alert')).toContainText('Say why you propose this amendment');
	await expect(amyPage.getByLabel('The words you propose')).toHaveValue(
		'People who use services and staff design and deliver them together.'
	);
	await axe(amyPage);
	await amyPage.getByLabel('Why').fill('Co-production is delivering together, not only designing.');
	await amyPage.getByRole('button', { name: 'Propose the amendment' }).click();
	await expect(amyPage.getByText('Your amendment is proposed.')).toBeVisible();
	const amendmentPath = new URL(amyPage.url()).pathname;
	await axe(amyPage);

	// Sam, without JavaScript, supports it and comments.
	const plain = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const samPage = await plain.newPage();
	await signIn(samPage, sam, { next: amendmentPath });
	await samPage.getByRole('button', { name: 'Support this amendment' }).click();
	await expect(samPage.getByText('You support this amendment.')).toBeVisible();
	await expect(samPage.getByText('1 person supports it: Sam Supporter.')).toBeVisible();
	await samPage.getByRole('button', { name: 'Add the comment' }).click();
	await expect(samPage.getByRole('alert')).toContainText('Write your comment');
	await samPage.getByLabel('Add a comment').fill('Yes, **delivering** matters.');
	await samPage.getByRole('button', { name: 'Add the comment' }).click();
	await expect(samPage.getByText('Your comment is added.')).toBeVisible();
	await expect(samPage.locator('strong', { hasText: 'delivering' })).toBeVisible();

	// Cora puts it to a consensus decision of all members (an empty choice is refused first).
	await coraPage.goto('/statement/facilitate');
	await coraPage.waitForLoadState('networkidle');
	await axe(coraPage);
	await coraPage.getByRole('button', { name: 'Continue' }).click();
	await expect(coraPage.getByRole('alert')).toContainText('Choose at least one amendment');
	await coraPage.getByRole('checkbox', { name: /Clause 1\.1, by Amy Author/ }).check();
	await coraPage.getByRole('radio', { name: 'Put them to a decision' }).check();
	await coraPage.getByRole('button', { name: 'Continue' }).click();
	const question = 'Should we agree the amendment to “Our shared statement”?';
	await expect(coraPage.getByRole('heading', { level: 1, name: question })).toBeVisible();
	const firstRound = new URL(coraPage.url()).pathname;
	await coraPage.getByRole('button', { name: 'Open it and invite people' }).click();
	await expect(coraPage.getByText('The decision is open.')).toBeVisible();
	await axe(coraPage);

	// Sam blocks, with a reason; Amy agrees. Meanwhile nothing can be recorded.
	await samPage.goto(firstRound);
	await samPage.getByRole('radio', { name: /^Block/ }).check();
	await samPage
		.getByLabel('Your reason (needed for a block)')
		.fill('It names staff but leaves out volunteers.');
	await samPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(samPage.getByText('Your response is saved.')).toBeVisible();
	await amyPage.goto(firstRound);
	await amyPage.getByRole('radio', { name: /^Agree/ }).check();
	await amyPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(amyPage.getByText('Your response is saved.')).toBeVisible();
	await coraPage.goto('/statement/facilitate');
	await expect(coraPage.getByText(/open now\./)).toBeVisible();
	await coraPage.getByRole('checkbox', { name: /Clause 1\.1, by Amy Author/ }).check();
	await coraPage.getByRole('radio', { name: 'Agreed: apply them as a new version' }).check();
	await coraPage.getByRole('button', { name: 'Continue' }).click();
	await expect(coraPage.getByRole('alert')).toContainText(`is being decided in “${question}”`);

	// The block stands, so round 1 does not pass; round 2 answers it, and passes.
	await coraPage.goto(firstRound);
	await coraPage.getByRole('button', { name: 'Close it now' }).click();
	await coraPage.getByRole('radio', { name: 'Not passed' }).check();
	await coraPage.getByLabel('The outcome').fill('Not passed: Sam blocked, for volunteers.');
	await coraPage.getByRole('button', { name: 'Publish the outcome' }).click();
	await expect(coraPage.getByRole('heading', { name: 'Outcome: not passed' })).toBeVisible();
	await coraPage.getByRole('link', { name: 'Start a new round with a changed proposal' }).click();
	await coraPage.waitForLoadState('networkidle');
	await coraPage
		.getByLabel('The changed proposal')
		.fill('The same words, with a promise: clause 1.2 names volunteers’ knowledge too.');
	await coraPage
		.getByLabel('Closing date')
		.fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
	await coraPage.getByRole('button', { name: 'Save the new round as a draft' }).click();
	await expect(coraPage.getByText('The new round is saved as a draft.')).toBeVisible();
	const secondRound = new URL(coraPage.url()).pathname;
	await coraPage.getByRole('button', { name: 'Open it and invite people' }).click();
	await expect(coraPage.getByText('The decision is open.')).toBeVisible();
	await samPage.goto(secondRound);
	await samPage.getByRole('radio', { name: /^Agree/ }).check();
	await samPage.getByRole('button', { name: 'Send my response' }).click();
	await expect(samPage.getByText('Your response is saved.')).toBeVisible();
	await coraPage.reload();
	await coraPage.getByRole('button', { name: 'Close it now' }).click();
	await coraPage.getByRole('radio', { name: 'Passed', exact: true }).check();
	await coraPage.getByLabel('The outcome').fill('Passed in round 2.');
	await coraPage.getByRole('button', { name: 'Publish the outcome' }).click();
	await expect(coraPage.getByRole('heading', { name: 'Outcome: passed' })).toBeVisible();

	// Cora records what it decided: one new version, naming the decision.
	await coraPage.goto('/statement/facilitate');
	await expect(coraPage.getByText(/it passed, so record it as agreed\./)).toBeVisible();
	await axe(coraPage);
	await coraPage.getByRole('checkbox', { name: /Clause 1\.1, by Amy Author/ }).check();
	await coraPage.getByRole('radio', { name: 'Agreed: apply them as a new version' }).check();
	await coraPage.getByLabel('A note (optional)').fill('Agreed at the December meeting');
	await coraPage.getByRole('button', { name: 'Continue' }).click();
	await expect(coraPage.getByText('The agreed amendments are in a new version')).toBeVisible();
	await expect(coraPage.getByText(/Version 2, agreed on/)).toBeVisible();
	await expect(
		coraPage.getByText('People who use services and staff design and deliver them together.')
	).toBeVisible();
	await axe(coraPage);

	// The comparison marks the added words, with a text cue as well as the underline.
	await coraPage.getByRole('link', { name: 'What changed in version 2' }).click();
	await expect(
		coraPage.getByRole('heading', { level: 1, name: 'Compare version 1 with version 2' })
	).toBeVisible();
	const added = coraPage.locator('ins').filter({ hasText: 'and deliver' });
	await expect(added).toContainText('Added:');
	await axe(coraPage);
	await coraPage.goto('/statement/versions');
	await expect(coraPage.getByRole('link', { name: 'The decision that agreed it' })).toHaveAttribute(
		'href',
		secondRound
	);
	await axe(coraPage);
	await coraPage.goto('/statement/print');
	await expect(
		coraPage.getByRole('heading', { level: 1, name: 'Our shared statement' })
	).toBeVisible();
	await axe(coraPage);

	// Members share one render of the comparison (only the header is theirs): Amy's copy is the
	// page rendered for her (`&full` is a query that is never shared).
	const comparison = '/statement/compare?from=1&to=2';
	await amyPage.request.get(comparison);
	const sharedResponse = await amyPage.request.get(comparison);
	expect(sharedResponse.headers()['x-colab-render']).toBe('shared');
	const ownResponse = await amyPage.request.get(`${comparison}&full`);
	expect(ownResponse.headers()['x-colab-render']).toBeUndefined();
	expect(sameMarkup(await sharedResponse.text())).toBe(sameMarkup(await ownResponse.text()));

	// Amy's amendment now says it was agreed.
	await amyPage.goto(amendmentPath);
	await expect(amyPage.getByText('Agreed', { exact: true })).toBeVisible();
	await expect(amyPage.getByText('Agreed at the December meeting')).toBeVisible();

	// Ola's charity: she is its admin, Sam only a member (added straight away for the journey).
	const olaPage = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(olaPage, ola, { next: '/organisations/new' });
	await olaPage.waitForLoadState('networkidle');
	await olaPage.getByLabel('Name of the organisation').fill('Carers Together');
	await olaPage.getByLabel('What the organisation does').fill('A carers’ charity.');
	await olaPage.getByRole('button', { name: 'Add the organisation' }).click();
	await expect(
		olaPage.getByText('Your organisation has been added. You are its admin.')
	).toBeVisible();

	await olaPage.goto('/statement');
	await expect(
		olaPage.getByRole('region', { name: 'You are invited to endorse version 2' })
	).toContainText('Carers Together has not endorsed it yet');
	await olaPage.getByRole('link', { name: 'Endorse the current version' }).click();
	await olaPage.waitForLoadState('networkidle');
	await axe(olaPage);
	await olaPage.getByRole('radio', { name: 'Carers Together' }).check();
	await olaPage.getByLabel('A note (optional)').fill('We use it to plan our groups.');
	await olaPage.getByRole('button', { name: 'Endorse version 2' }).click();
	await expect(olaPage.getByText('Thank you: your endorsement is shown below.')).toBeVisible();
	const endorsed = olaPage.getByRole('region', { name: 'Who has endorsed it' });
	await expect(endorsed.getByRole('link', { name: 'Carers Together' })).toBeVisible();
	await expect(endorsed).toContainText('version 2: “We use it to plan our groups.”');
	await axe(olaPage);

	// Sam has no organisation to sign for: only himself is offered.
	await samPage.goto('/statement/endorse');
	await expect(samPage.getByRole('radio')).toHaveCount(1);
	await expect(samPage.getByRole('radio', { name: /Yourself: Sam Supporter/ })).toBeVisible();
});
