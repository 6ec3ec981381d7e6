import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn } from './support/people';
import { daysFromNow, fillEventForm } from './support/events';

// Tom hosts his first event. It waits for a curator, who approves it; Priya books a place.
// Tom moves it to a later time (Priya is told), then has to cancel it (Priya is told why).
// Someone who is not the host cannot edit it.
test('a host creates, edits and cancels an event', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const tom = await createPerson({ colab, mailbox, browser }, { name: 'Tom Walsh' });
	const curator = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Chris Okafor', role: 'curator' }
	);
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const title = `Repair café ${Date.now()}`;

	await signIn(page, tom);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Events' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
	await page.getByRole('link', { name: 'Host an event' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Host an event' })).toBeVisible();
	await axe(page);

	// Mistakes: a date in the past, an end before the start, no venue and -5 places. Every
	// message shows at once, in plain words and in the form's order. What was typed stays.
	await fillEventForm(page, {
		title,
		date: daysFromNow(-3),
		start: '18:00',
		end: '17:00',
		venue: '',
		address: '',
		places: '-5'
	});
	await page.getByRole('button', { name: 'Add the event' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary.getByRole('link')).toHaveText([
		'The event must start in the future',
		'The end must be after the start',
		'Enter the name of the venue',
		'Enter the address, so people can find it',
		'Number of places must be a whole number from 1 to 10,000, or leave it empty for no limit'
	]);
	await expect(page.getByLabel('Number of places (optional)')).toHaveValue('-5');
	await expect(page.getByLabel('Title')).toHaveValue(title);
	await expect(page.getByLabel('Date', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await axe(page);

	await page.getByLabel('Date', { exact: true }).fill(daysFromNow(20));
	await page.getByLabel('End time').fill('20:00');
	await page.getByLabel('Venue (if in person)').fill('The Old Fire Station');
	await page.getByLabel('Address (if in person)').fill('3 Station Road, Riverside RV2 7CD');
	await page.getByRole('checkbox', { name: 'Step-free access' }).check();
	await page.getByLabel('Number of places (optional)').fill('12');
	await page.getByRole('button', { name: 'Add the event' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByText('Because it is your first, a curator checks it')).toBeVisible();
	await expect(page.getByText('Waiting for approval')).toBeVisible();
	await axe(page);
	const eventPath = new URL(page.url()).pathname;

	// Not listed until approved.
	await page.goto('/events?q=' + encodeURIComponent(title));
	await expect(page.getByRole('link', { name: title })).toHaveCount(0);

	// The curator is told, and approves it.
	const waiting = await mailbox.waitFor(curator.email, /waiting for approval/);
	const curatorContext = await browser.newContext({ baseURL: colab.url });
	const curatorPage = await curatorContext.newPage();
	await signIn(curatorPage, curator, {
		next: new URL(Mailbox.link(waiting, /\/events\/approvals/)).pathname
	});
	await expect(
		curatorPage.getByRole('heading', { level: 1, name: 'Events waiting for approval' })
	).toBeVisible();
	await axe(curatorPage);
	await curatorPage.getByRole('button', { name: `Approve ${title}` }).click();
	await expect(curatorPage.getByText('The event is approved and published')).toBeVisible();
	await curatorContext.close();
	await mailbox.waitFor(tom.email, /Your event is published/);

	// Priya books a place, telling the host she needs step-free access.
	const priyaContext = await browser.newContext({ baseURL: colab.url });
	const priyaPage = await priyaContext.newPage();
	await signIn(priyaPage, priya, { next: eventPath });
	await priyaPage.getByRole('checkbox', { name: 'Step-free access' }).check();
	await priyaPage.getByRole('button', { name: 'Book a place' }).click();
	await expect(priyaPage.getByText('You have a place. We have emailed you')).toBeVisible();
	await axe(priyaPage);
	const booked = await mailbox.waitFor(priya.email, /Your place at/);
	expect(booked.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.ics$/)]);

	// Priya may not edit Tom's event.
	const refused = await priyaPage.goto(`${eventPath}/edit`);
	expect(refused?.status()).toBe(403);
	await priyaContext.close();

	// Tom sees who is coming: one place, one person needing step-free access.
	await page.goto(eventPath);
	await page.getByRole('link', { name: 'See who is coming, and check people in' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: `Who is coming to ${title}` })
	).toBeVisible();
	await expect(page.getByRole('row', { name: 'Step-free access 1' })).toBeVisible();
	await axe(page);

	// Tom moves it later; Priya is told the new time.
	await page.goto(eventPath);
	await page.getByRole('link', { name: 'Edit the event' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Edit the event' })).toBeVisible();
	await expect(page.getByLabel('Title')).toHaveValue(title);
	await axe(page);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Start time').fill('18:30');
	await page.getByLabel('End time').fill('20:30');
	await page.getByRole('button', { name: 'Save the changes' }).click();
	await expect(page.getByText('Your changes are saved.')).toBeVisible();
	await expect(page.getByText('6:30pm to 8:30pm')).toBeVisible();
	const changed = await mailbox.waitFor(priya.email, /^Changed:/);
	expect(changed.text).toContain('6:30pm to 8:30pm');

	// Tom cancels it, saying why; Priya is told.
	await page.getByRole('link', { name: 'Cancel the event' }).click();
	await axe(page);
	await page.getByRole('button', { name: 'Cancel the event and tell everyone' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await page
		.getByLabel('Why is it cancelled?')
		.fill('The hall roof is leaking. We will find a new date.');
	await page.getByRole('button', { name: 'Cancel the event and tell everyone' }).click();
	await expect(
		page.getByText('The event is cancelled. Everyone with a place has been told.')
	).toBeVisible();
	await expect(page.getByRole('heading', { name: 'This event is cancelled' })).toBeVisible();
	await axe(page);
	const cancelled = await mailbox.waitFor(priya.email, /^Cancelled:/);
	expect(cancelled.text).toContain('The hall roof is leaking.');
});
