import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

/** Checks the page with axe at desktop and at phone width, and leaves it at desktop width. */
async function axeAtBothWidths(page: Page, axe: (page: Page) => Promise<void>): Promise<void> {
	await page.setViewportSize({ width: 1280, height: 800 });
	await axe(page);
	await page.setViewportSize({ width: 390, height: 844 });
	await axe(page);
	await page.setViewportSize({ width: 1280, height: 800 });
}

/** A section of My CoLab, by its heading. */
function sectionOf(page: Page, title: string) {
	return page.getByRole('region', { name: title });
}

// Mo books a place, waits for a full event whose place then frees up, hosts an event of their
// own and saves a check. My CoLab shows all of it, and only Mo's.
test('a member finds their places, offer, hosted event and saved check on My CoLab', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const env = { colab, mailbox, browser };
	const host = await createPerson(env, { name: 'Chris Host', role: 'curator' });
	const mo = await createPerson(env, { name: 'Mo Khan' });
	const sam = await createPerson(env, { name: 'Sam Taylor' });
	const stamp = Date.now();
	const openTitle = `Carers’ coffee morning ${stamp}`;
	const fullTitle = `Peer support evening ${stamp}`;
	const mineTitle = `Mo’s walk and talk ${stamp}`;

	// A visitor going to My CoLab is asked to sign in, then brought back.
	await page.goto('/me');
	await expect(page).toHaveURL(/\/sign-in\?next=%2Fme$/);
	await signIn(page, mo);
	await expect(page).toHaveURL(/\/me$/);
	await expect(page.getByRole('heading', { level: 1, name: 'My CoLab' })).toBeVisible();
	// Nothing yet: each section says what to do next.
	await expect(sectionOf(page, 'Your places')).toContainText('You have no places booked.');
	await expect(
		sectionOf(page, 'Your places').getByRole('link', { name: 'Find an event' })
	).toHaveAttribute('href', '/events');
	await axeAtBothWidths(page, axe);

	// The host puts on two events; the second has one place, which Sam takes.
	const hostContext = await browser.newContext({ baseURL: colab.url });
	const hostPage = await hostContext.newPage();
	await signIn(hostPage, host);
	const openId = await hostEvent(hostPage, { title: openTitle, places: '10' });
	const fullId = await hostEvent(hostPage, { title: fullTitle, places: '1' });
	await hostContext.close();

	const samContext = await browser.newContext({ baseURL: colab.url });
	const samPage = await samContext.newPage();
	await signIn(samPage, sam, { next: `/events/${fullId}` });
	await samPage.getByRole('button', { name: 'Book a place' }).click();
	await expect(samPage.getByText('You have a place.', { exact: true })).toBeVisible();

	// Mo books the open event (asking for an interpreter) and waits for the full one.
	await page.goto(`/events/${openId}`);
	await page.getByLabel('A British Sign Language (BSL) interpreter').check();
	await page.getByRole('button', { name: 'Book a place' }).click();
	await expect(page.getByText('You have a place.', { exact: true })).toBeVisible();
	await page.goto(`/events/${fullId}`);
	await page.getByRole('button', { name: 'Join the waitlist' }).click();
	await expect(page.getByText('You are on the waitlist: number 1.')).toBeVisible();

	await page.goto('/me');
	await expect(sectionOf(page, 'Waitlists you are on')).toContainText(fullTitle);
	await expect(sectionOf(page, 'Waitlists you are on')).toContainText(
		'You are number 1 on the waitlist.'
	);

	// Sam cannot come after all: the place is offered to Mo.
	await samPage.getByRole('button', { name: 'Cancel my place' }).click();
	await expect(samPage.getByText('Your place is cancelled.')).toBeVisible();
	await mailbox.waitFor(mo.email, /^A place is free/);

	// Mo hosts an event (a first event waits for a curator) and saves a check of their own.
	await hostEvent(page, { title: mineTitle, places: '12' });
	await page.goto('/assessments/check');
	await page.getByRole('radio').first().check();
	await page.getByRole('button', { name: 'See my profile' }).click();
	await page.getByLabel('What was it about? (optional)').fill(`Day centre ${stamp}`);
	await page.getByRole('button', { name: 'Save to my account' }).click();
	await expect(page.getByText('The check is saved to your account.')).toBeVisible();

	// Everything is on My CoLab, reached from the header.
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'My CoLab' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'My CoLab' })).toBeVisible();

	const offers = sectionOf(page, 'Places waiting for you');
	await expect(offers.getByRole('link', { name: fullTitle, exact: true })).toBeVisible();
	// The deadline in words, not "the time in your email".
	await expect(offers).toContainText(
		/Take it by (\d{1,2}(:\d\d)?(am|pm)|midday|midnight) on \w+day \d{1,2} \w+ \d{4}\./
	);
	await expect(offers.getByRole('link', { name: `Take the place at ${fullTitle}` })).toBeVisible();

	const places = sectionOf(page, 'Your places');
	await expect(places.getByRole('link', { name: openTitle, exact: true })).toHaveAttribute(
		'href',
		`/events/${openId}`
	);
	const calendar = places.getByRole('link', { name: `Add to calendar for ${openTitle}` });
	await expect(calendar).toHaveAttribute('href', `/events/${openId}/event.ics`);
	const ics = await page.request.get(`/events/${openId}/event.ics`);
	expect(ics.status()).toBe(200);
	expect(await ics.text()).toContain('BEGIN:VCALENDAR');

	// Mo is no longer waiting: the place is on offer instead.
	await expect(sectionOf(page, 'Waitlists you are on')).toContainText(
		'You are not on any waitlist.'
	);

	const hosting = sectionOf(page, 'Events you host');
	await expect(hosting.getByRole('link', { name: mineTitle, exact: true })).toBeVisible();
	await expect(hosting).toContainText('0 of 12 places taken, 12 left');
	await expect(hosting).toContainText('Waiting for a curator to publish it');
	await expect(
		hosting.getByRole('link', { name: `See who is coming to ${mineTitle}` })
	).toBeVisible();

	// Sam's place and the host's events are not Mo's.
	await expect(page.getByText('Sam Taylor')).toHaveCount(0);
	await expect(hosting.getByRole('link', { name: openTitle, exact: true })).toHaveCount(0);

	await axeAtBothWidths(page, axe);

	// The keyboard reaches every link on the page, in order, with nothing skipped.
	const hrefs = await page
		.locator('main a')
		.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
	await page.locator('main').focus();
	const reached: string[] = [];
	for (let i = 0; i < hrefs.length; i++) {
		await page.keyboard.press('Tab');
		reached.push(
			await page.evaluate(() => {
				const active = document.activeElement;
				return active?.closest('main') ? (active.getAttribute('href') ?? '') : '(left main)';
			})
		);
	}
	expect(reached).toEqual(hrefs);

	// Each section's full list has a page of its own.
	await page.goto('/me/hosting');
	await expect(page.getByRole('heading', { level: 1, name: 'Events you host' })).toBeVisible();
	await expect(page.getByRole('link', { name: mineTitle, exact: true })).toBeVisible();
	await axeAtBothWidths(page, axe);
	expect((await page.goto('/me/no-such-section'))?.status()).toBe(404);
	await page.goto('/me');

	// The saved check is a link to what it found.
	const saved = sectionOf(page, 'Checks you saved');
	await saved.getByRole('link', { name: `Day centre ${stamp}`, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Day centre ${stamp}` })).toBeVisible();
	await expect(page.getByText('You answered 1 of')).toBeVisible();
	await axeAtBothWidths(page, axe);

	// The check's own page lists it as a link too.
	await page.goto('/assessments');
	await expect(
		page.getByRole('link', { name: `Day centre ${stamp}`, exact: true })
	).toHaveAttribute('href', /^\/assessments\/check\/saved\/[^/]+$/);
	const savedPath = await page
		.getByRole('link', { name: `Day centre ${stamp}`, exact: true })
		.getAttribute('href');

	// The home page starts with what is next for Mo.
	await page.goto('/');
	const next = page.getByRole('region', { name: 'What’s next for you' });
	await expect(next.getByRole('link', { name: fullTitle, exact: true })).toBeVisible();
	await expect(next.getByRole('link', { name: openTitle, exact: true })).toBeVisible();
	await expect(next.getByRole('link', { name: 'Go to My CoLab' })).toHaveAttribute('href', '/me');
	await axeAtBothWidths(page, axe);

	// Sam sees none of Mo's things, and cannot open Mo's saved check.
	await samPage.goto('/me');
	await expect(sectionOf(samPage, 'Places waiting for you')).toContainText(
		'No places are waiting for you.'
	);
	await expect(samPage.getByText(openTitle)).toHaveCount(0);
	await expect(samPage.getByText(`Day centre ${stamp}`)).toHaveCount(0);
	const refused = await samPage.goto(savedPath!);
	expect(refused?.status()).toBe(404);
	await samContext.close();
});
