import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// Lightning Talks: Jo offers a five-minute talk; the host accepts it with a message; it joins
// the programme on the event page; afterwards Jo adds a link to her slides.
test('a talk is offered and accepted into the programme', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const host = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Chris Host', role: 'curator' }
	);
	const jo = await createPerson({ colab, mailbox, browser }, { name: 'Jo Bennett' });
	const title = `Lightning Talks ${Date.now()}`;

	await signIn(page, host);
	const eventId = await hostEvent(page, { title, format: 'Lightning Talks', places: '40' });

	const joContext = await browser.newContext({ baseURL: colab.url });
	const joPage = await joContext.newPage();
	await signIn(joPage, jo, { next: `/events/${eventId}` });
	await joPage.getByRole('link', { name: 'Offer a talk, or see the programme' }).click();
	await expect(joPage.getByRole('heading', { level: 1, name: `Talks at ${title}` })).toBeVisible();
	await joPage.waitForLoadState('networkidle');
	await axe(joPage);
	await joPage.getByLabel('Title of your talk').fill('One question we ask every carer');
	await joPage.getByRole('button', { name: 'Offer the talk' }).click();
	await expect(joPage.getByLabel('What is it about?')).toHaveAttribute('aria-invalid', 'true');
	await expect(joPage.getByLabel('Title of your talk')).toHaveValue(
		'One question we ask every carer'
	);
	await joPage
		.getByLabel('What is it about?')
		.fill('How one question on our form changed who we hear from.');
	await joPage.getByRole('button', { name: 'Offer the talk' }).click();
	await expect(joPage.getByText('Your offer is with the host')).toBeVisible();
	await expect(joPage.getByText('Waiting for the host')).toBeVisible();
	await axe(joPage);

	// The host accepts it with a message.
	await page.goto(`/events/${eventId}/talks`);
	await page.waitForLoadState('networkidle');
	await axe(page);
	await page.getByRole('radio', { name: 'Accept: add it to the programme' }).check();
	await page.getByLabel('A message for the speaker (optional)').fill('Lovely. You are on first!');
	await page
		.getByRole('button', { name: 'Send the decision on One question we ask every carer' })
		.click();
	await expect(page.getByText('The talk is in the programme.')).toBeVisible();
	const mail = await mailbox.waitFor(jo.email, /Your talk is in the programme/);
	expect(mail.text).toContain('Lovely. You are on first!');

	// The programme shows on the event page for everyone.
	const visitor = await browser.newContext({ baseURL: colab.url });
	const v = await visitor.newPage();
	await v.goto(`/events/${eventId}?programme`);
	await expect(v.getByRole('heading', { name: 'Programme' })).toBeVisible();
	await expect(v.getByText('One question we ask every carer')).toBeVisible();
	await axe(v);
	await visitor.close();

	// Jo adds her slides.
	await joPage.goto(`/events/${eventId}/talks`);
	await joPage.getByText('Add links to the slides or a video').click();
	await joPage.getByLabel('Slides (optional)').fill('https://slides.example.org/one-question');
	await joPage.getByRole('button', { name: 'Save the links' }).click();
	await expect(joPage.getByText('The links are saved.')).toBeVisible();
	await expect(joPage.getByRole('link', { name: 'Slides' })).toHaveAttribute(
		'href',
		'https://slides.example.org/one-question'
	);
	await joContext.close();
});
