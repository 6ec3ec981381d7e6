import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Ada posts an idea and Wren comments on it. Bo, another member, reports the comment from the
// idea's page (Wren sees no report link beside her own words; a visitor sees none at all).
// Cleo, a curator, finds it in the queue as a comment on an idea, with Bo's note, and hides it
// with a message. The idea's page then says the comment is hidden, for visitors and for Wren,
// who can no longer edit it; Wren gets an email saying why. Every page passes axe.
test('a member reports a comment on an idea and a curator hides it', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(300_000);
	const env = { colab, mailbox, browser };
	const ada = await createPerson(env, { name: 'Ada Ideas' });
	const wren = await createPerson(env, { name: 'Wren Writer' });
	const bo = await createPerson(env, { name: 'Bo Reader' });
	const cleo = await createPerson(env, { name: 'Cleo Curator', role: 'curator' });
	const title = 'A walking group for carers';
	const words = 'Only people who live on my street should be allowed.';

	const adaContext = await browser.newContext({ baseURL: colab.url });
	const adaPage = await adaContext.newPage();
	await signIn(adaPage, ada, { next: '/ideas/new' });
	await adaPage.getByLabel('Your idea in a few words').fill(title);
	await adaPage
		.getByLabel('What is it, and who is it for?')
		.fill('A gentle walk once a week, for carers and the people they care for.');
	await adaPage.getByRole('button', { name: 'Post the idea' }).click();
	await expect(adaPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
	const ideaPath = new URL(adaPage.url()).pathname;
	await adaContext.close();

	const wrenContext = await browser.newContext({ baseURL: colab.url });
	const wrenPage = await wrenContext.newPage();
	await signIn(wrenPage, wren, { next: ideaPath });
	await wrenPage.getByLabel('Add a comment').fill(words);
	await wrenPage.getByRole('button', { name: 'Send the comment' }).click();
	await expect(wrenPage.getByText('Your comment is added.')).toBeVisible();
	await expect(wrenPage.getByRole('link', { name: /^Report/ })).toHaveCount(0);

	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto(ideaPath);
	await expect(visitor.getByText(words)).toBeVisible();
	await expect(visitor.getByRole('link', { name: /^Report/ })).toHaveCount(0);

	const boContext = await browser.newContext({ baseURL: colab.url });
	const boPage = await boContext.newPage();
	await signIn(boPage, bo, { next: ideaPath });
	await axe(boPage);
	await boPage.getByRole('link', { name: 'Report the comment by Wren Writer' }).click();
	await expect(boPage.getByRole('heading', { level: 1 })).toHaveText('Report a comment');
	await expect(
		boPage.getByRole('link', { name: `A comment on the idea “${title}”` })
	).toBeVisible();
	await axe(boPage);
	await boPage.getByLabel('Offensive, hateful or abusive').check();
	await boPage
		.getByLabel('Anything a curator should know (optional)')
		.fill('It shuts out carers from other streets.');
	await boPage.getByRole('button', { name: 'Send report' }).click();
	await expect(boPage.getByText('We got your report.')).toBeVisible();
	await boContext.close();

	const cleoContext = await browser.newContext({ baseURL: colab.url });
	const cleoPage = await cleoContext.newPage();
	await signIn(cleoPage, cleo, { next: '/moderation' });
	const entry = cleoPage.getByRole('region', {
		name: `Comment on an idea: A comment on the idea “${title}”`
	});
	await expect(entry).toContainText('Written by Wren Writer.');
	await expect(entry).toContainText(words);
	await expect(entry).toContainText('It shuts out carers from other streets.');
	await axe(cleoPage);
	await entry.getByLabel('Hide it').check();
	await entry
		.getByLabel('Your message to the author')
		.first()
		.fill('The group is for every carer, wherever they live. Please say it differently.');
	await entry.getByRole('button', { name: 'Decide' }).click();
	await expect(cleoPage.getByText('Hidden. The author has been told why.')).toBeVisible();
	await cleoContext.close();

	await visitor.reload();
	await expect(
		visitor.getByText('This comment is hidden while a curator looks at it.')
	).toBeVisible();
	await expect(visitor.getByText(words)).toHaveCount(0);
	await axe(visitor);
	await visitorContext.close();

	// Wren sees the same line, and may delete the comment but not edit it.
	await wrenPage.reload();
	await expect(
		wrenPage.getByText('This comment is hidden while a curator looks at it.')
	).toBeVisible();
	await expect(wrenPage.getByText(words)).toHaveCount(0);
	await expect(wrenPage.getByText('Edit your comment')).toHaveCount(0);
	await expect(wrenPage.getByRole('button', { name: 'Delete your comment' })).toBeVisible();
	await axe(wrenPage);
	const mail = await mailbox.waitFor(wren.email, /decision about your writing/);
	expect(mail.text).toContain(`A comment on the idea “${title}”`);
	expect(mail.text).toContain('has hidden it');
	expect(mail.text).toContain('Please say it differently.');
	await wrenContext.close();
});
