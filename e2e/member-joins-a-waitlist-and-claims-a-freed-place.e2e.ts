import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// An online meet-up has one place. Sam takes it; Priya joins the waitlist. When Sam cancels,
// Priya is offered the place by email, takes it, and only then sees the online link.
test('a member joins a waitlist and claims a freed place', async ({
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
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Taylor' });
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const title = `Evening peer chat ${Date.now()}`;
	const secretLink = `https://meet.example.org/peer-${Date.now()}`;

	await signIn(page, host);
	const eventId = await hostEvent(page, {
		title,
		mode: 'Online',
		onlineUrl: secretLink,
		places: '1'
	});
	const eventPath = `/events/${eventId}`;

	const samContext = await browser.newContext({ baseURL: colab.url });
	const samPage = await samContext.newPage();
	await signIn(samPage, sam, { next: eventPath });
	await samPage.getByRole('button', { name: 'Book a place' }).click();
	await expect(samPage.getByText('You have a place.', { exact: true })).toBeVisible();
	await expect(samPage.getByRole('link', { name: secretLink })).toBeVisible();

	const priyaContext = await browser.newContext({ baseURL: colab.url });
	const priyaPage = await priyaContext.newPage();
	await signIn(priyaPage, priya, { next: eventPath });
	await expect(priyaPage.getByText('Full: you can join the waitlist')).toBeVisible();
	// People without a place never see the online link.
	await expect(priyaPage.getByText(secretLink)).toHaveCount(0);
	await priyaPage.getByRole('button', { name: 'Join the waitlist' }).click();
	await expect(priyaPage.getByText('You are on the waitlist: number 1.')).toBeVisible();
	await axe(priyaPage);
	await mailbox.waitFor(priya.email, /^You are on the waitlist/);

	// Sam cannot come after all.
	await samPage.getByRole('button', { name: 'Cancel my place' }).click();
	await expect(samPage.getByText('Your place is cancelled.')).toBeVisible();
	await samContext.close();

	// Priya is offered the place, with a time to take it by, and takes it from the email.
	const offer = await mailbox.waitFor(priya.email, /^A place is free/);
	expect(offer.text).toMatch(
		/Please take it by \d{1,2}(:\d\d)?(am|pm) on \w+day \d{1,2} \w+ \d{4}/
	);
	const deadline = /Please take it by (.+?)\. After that/.exec(
		offer.text.replace(/\s+/g, ' ')
	)?.[1];
	expect(deadline).toBeTruthy();
	// The event page names the same deadline, not "the time in your email".
	await priyaPage.goto(eventPath);
	await expect(
		priyaPage.getByText(`Take it by ${deadline}, or it goes to the next person`)
	).toBeVisible();
	await expect(priyaPage.getByText('the time in your email')).toHaveCount(0);
	await priyaPage.goto(Mailbox.link(offer, /\/events\/places\//));
	await expect(
		priyaPage.getByRole('heading', { level: 1, name: 'A place is waiting for you' })
	).toBeVisible();
	await axe(priyaPage);
	await priyaPage.getByRole('button', { name: 'Take the place' }).click();
	await expect(priyaPage.getByText('The place is yours.')).toBeVisible();
	await expect(priyaPage.getByRole('link', { name: secretLink })).toBeVisible();
	await mailbox.waitFor(priya.email, /^Your place at/);

	await priyaPage.goto(eventPath);
	await expect(priyaPage.getByText('You have a place.', { exact: true })).toBeVisible();
	await expect(priyaPage.getByRole('link', { name: secretLink })).toBeVisible();
	await axe(priyaPage);
	await priyaContext.close();
});
