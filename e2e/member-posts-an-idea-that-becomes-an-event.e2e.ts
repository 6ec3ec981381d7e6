import { test, expect, expectAccessible } from './fixtures';
import { createPerson, signIn } from './support/people';

// Ada posts an idea. Ben supports it and comments; Cai supports it with JavaScript off. Cleo, a
// curator, moves it to "gathering support" with a note for everyone, then turns it into an event
// in one step. The idea then shows what it became, on its page and in the list: you said, we
// did. Every page with JavaScript passes axe at both widths.
test('a member posts an idea, others support it, and a curator turns it into an event', async ({
	browser,
	colab,
	mailbox
}) => {
	test.setTimeout(300_000);
	const ada = await createPerson({ colab, mailbox, browser }, { name: 'Ada Ideas' });
	const ben = await createPerson({ colab, mailbox, browser }, { name: 'Ben Backer' });
	const cai = await createPerson({ colab, mailbox, browser }, { name: 'Cai Plain' });
	const cleo = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cleo Curator', role: 'curator' }
	);
	const title = 'A monthly repair cafe';

	// Ada posts the idea; an empty first try says what is missing.
	const adaContext = await browser.newContext({ baseURL: colab.url });
	const adaPage = await adaContext.newPage();
	await signIn(adaPage, ada, { next: '/ideas' });
	await expect(adaPage.getByRole('heading', { level: 1, name: 'Ideas' })).toBeVisible();
	await expectAccessible(adaPage);
	await adaPage.getByRole('link', { name: 'Post an idea' }).click();
	await adaPage.waitForLoadState('networkidle');
	await adaPage.getByRole('button', { name: 'Post the idea' }).click();
	await expect(adaPage.getByRole('alert')).toContainText('Give your idea a short title');
	await expect(adaPage.getByRole('alert')).toContainText('Say what your idea is');
	await expectAccessible(adaPage);
	await adaPage.getByLabel('Your idea in a few words').fill(title);
	await adaPage
		.getByLabel('What is it, and who is it for?')
		.fill('People bring **broken things** and fix them together, with tea.');
	await adaPage.getByRole('button', { name: 'Post the idea' }).click();
	await expect(adaPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(adaPage.getByText('Your idea is posted.')).toBeVisible();
	const ideaPath = new URL(adaPage.url()).pathname;
	await expectAccessible(adaPage);
	// While it is new, Ada may change its words.
	await adaPage.getByRole('link', { name: 'Change the words of your idea' }).click();
	await expect(adaPage.getByRole('heading', { level: 1, name: 'Change your idea' })).toBeVisible();
	await expectAccessible(adaPage);

	// Ben supports it, saying how, and comments.
	const benContext = await browser.newContext({ baseURL: colab.url });
	const benPage = await benContext.newPage();
	await signIn(benPage, ben, { next: ideaPath });
	await benPage.getByRole('checkbox', { name: 'I would come' }).check();
	await benPage.getByLabel('A short note (optional)').fill('I can bring tools');
	await benPage.getByRole('button', { name: 'Support this idea' }).click();
	await expect(benPage.getByText('Thank you: your support is added.')).toBeVisible();
	await expect(benPage.getByText('I would come: 1')).toBeVisible();
	await benPage.getByLabel('Add a comment').fill('The library has a room on Saturdays.');
	await benPage.getByRole('button', { name: 'Send the comment' }).click();
	await expect(benPage.getByText('Your comment is added.')).toBeVisible();
	// The comment as shown, not the copy in its closed edit form: after a post without
	// JavaScript yet (a slow start), the form's textarea holds the same words.
	await expect(
		benPage.getByRole('paragraph').filter({ hasText: 'The library has a room on Saturdays.' })
	).toBeVisible();
	await expectAccessible(benPage);

	// Cai, without JavaScript: a support without a way is refused beside the boxes, then given.
	const plain = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const caiPage = await plain.newPage();
	await signIn(caiPage, cai, { next: ideaPath });
	await caiPage.getByRole('button', { name: 'Support this idea' }).click();
	await expect(caiPage.getByRole('alert')).toContainText(
		'Choose at least one way you would support it'
	);
	await caiPage.getByRole('checkbox', { name: 'I would help' }).check();
	await caiPage.getByRole('button', { name: 'Support this idea' }).click();
	await expect(caiPage.getByText('Thank you: your support is added.')).toBeVisible();
	await expect(caiPage.getByText('2 supporters')).toBeVisible();
	await plain.close();

	// Cleo moves it on; the note is required, and everyone reads it.
	const cleoContext = await browser.newContext({ baseURL: colab.url });
	const cleoPage = await cleoContext.newPage();
	await signIn(cleoPage, cleo, { next: ideaPath });
	await cleoPage.getByRole('link', { name: 'Move it to another stage, with a note' }).click();
	await cleoPage.waitForLoadState('networkidle');
	await expectAccessible(cleoPage);
	await cleoPage.getByRole('radio', { name: /^Gathering support/ }).check();
	await cleoPage.getByRole('button', { name: 'Move the idea' }).click();
	await expect(cleoPage.getByRole('alert')).toContainText('Write a note saying why');
	await expectAccessible(cleoPage);
	await cleoPage.getByLabel('A note for everyone').fill('Lovely idea: we need a room and fixers.');
	await cleoPage.getByRole('button', { name: 'Move the idea' }).click();
	await expect(cleoPage.getByText('The idea has moved on.')).toBeVisible();
	await expect(cleoPage.getByText('Lovely idea: we need a room and fixers.')).toBeVisible();

	// Then turns it into an event in one step.
	await cleoPage
		.getByRole('link', { name: 'Turn it into an event, a pilot or a decision' })
		.click();
	await expectAccessible(cleoPage);
	await cleoPage.getByRole('link', { name: 'An event' }).click();
	await cleoPage.waitForLoadState('networkidle');
	await expect(cleoPage.getByLabel('Title of the event')).toHaveValue(title);
	await expectAccessible(cleoPage);
	await cleoPage.getByRole('group', { name: 'Format' }).getByRole('radio').first().check();
	await cleoPage.getByLabel('Date').fill('2030-06-01');
	await cleoPage.getByLabel('Start time').fill('10:00');
	await cleoPage.getByLabel('End time').fill('12:00');
	await cleoPage.getByLabel('Venue (if in person)').fill('Riverside Library');
	await cleoPage.getByLabel('Address (if in person)').fill('1 High Street, Riverside RV1 2AB');
	await cleoPage.getByRole('button', { name: 'Make the event' }).click();
	await expect(cleoPage.getByText('Done: the idea now links to what it became')).toBeVisible();
	await expect(cleoPage.getByText('Happening', { exact: true }).first()).toBeVisible();
	await expectAccessible(cleoPage);
	await cleoPage.close();

	// Anyone sees what it became, on the idea and in the list.
	await adaPage.goto('/ideas');
	await expect(adaPage.getByText('You said, we did: it became an event')).toBeVisible();
	await adaPage.getByRole('link', { name: title }).first().click();
	const became = adaPage.getByRole('link', { name: title, exact: true }).last();
	await expect(adaPage.getByText('This became an event')).toBeVisible();
	await became.click();
	await expect(adaPage).toHaveURL(/\/events\//);
	await expect(adaPage.getByRole('heading', { level: 1, name: title })).toBeVisible();

	// Ada was told of the support and the move, in the site.
	await adaPage.goto('/notifications');
	await expect(adaPage.getByText(/supports your idea/).first()).toBeVisible();
	await expect(
		adaPage.getByText(/is now: Happening|is now: Gathering support/).first()
	).toBeVisible();
	await expectAccessible(adaPage);
	await adaContext.close();
	await benContext.close();
	await cleoContext.close();
});
