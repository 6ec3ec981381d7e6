import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// Priya books a place at Tom's event and asks for notification emails at once. Tom moves the
// event: Priya sees a count in the header, the notification on her notifications page, and an
// email. She turns that kind off (with JavaScript off, as the form must work without it), and
// Tom's next change tells her nothing new, in the site or by notification email.
test('a member is notified of a change and turns that kind off', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const tom = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Tom Walsh', role: 'curator' }
	);
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const title = `Carers’ coffee morning ${Date.now()}`;

	await signIn(page, tom);
	const eventId = await hostEvent(page, { title, start: '10:00', end: '11:30' });
	const eventPath = `/events/${eventId}`;

	const priyaContext = await browser.newContext({ baseURL: colab.url });
	const priyaPage = await priyaContext.newPage();
	await signIn(priyaPage, priya, { next: '/account/notifications' });
	await expect(
		priyaPage.getByRole('heading', { level: 1, name: 'Notification settings' })
	).toBeVisible();
	await axe(priyaPage);
	const byEmail = priyaPage.getByRole('group', { name: 'Send by email' });
	const onSite = priyaPage.getByRole('group', { name: 'Show on this site' });
	const changes = { name: 'Changes to events you registered for' };
	// The defaults: on the site, and no second email for what the event already emails.
	await expect(onSite.getByRole('checkbox', changes)).toBeChecked();
	await expect(byEmail.getByRole('checkbox', changes)).not.toBeChecked();
	await expect(priyaPage.getByRole('radio', { name: 'Once a day, in one summary' })).toBeChecked();
	await byEmail.getByRole('checkbox', changes).check();
	await priyaPage.getByRole('radio', { name: 'At once' }).check();
	await priyaPage.getByRole('button', { name: 'Save my settings' }).click();
	await expect(priyaPage.getByText('Your notification settings are saved.')).toBeVisible();
	await axe(priyaPage);

	await priyaPage.goto(eventPath);
	await priyaPage.getByRole('button', { name: 'Book a place' }).click();
	await expect(priyaPage.getByText('You have a place. We have emailed you')).toBeVisible();

	async function moveTo(start: string, end: string) {
		await page.goto(`${eventPath}/edit`);
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Start time').fill(start);
		await page.getByLabel('End time').fill(end);
		await page.getByRole('button', { name: 'Save the changes' }).click();
		await expect(page.getByText('Your changes are saved.')).toBeVisible();
	}
	await moveTo('10:30', '12:00');

	// The header shows one unread notification.
	const nav = (p: Page) => p.getByRole('navigation', { name: 'Main' });
	await priyaPage.goto('/');
	await expect(nav(priyaPage).getByRole('link', { name: 'Notifications 1 unread' })).toBeVisible();
	await axe(priyaPage);
	await nav(priyaPage).getByRole('link', { name: 'Notifications 1 unread' }).click();
	await expect(priyaPage.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
	const notice = priyaPage.getByRole('listitem').filter({ hasText: `“${title}” has changed` });
	await expect(notice).toContainText('New');
	await expect(notice).toContainText('10:30am to midday');
	await axe(priyaPage);
	// Seen, so read: the count is gone.
	await expect(
		nav(priyaPage).getByRole('link', { name: 'Notifications', exact: true })
	).toBeVisible();

	const mail = await mailbox.waitFor(priya.email, new RegExp(`^“${title}” has changed`));
	expect(mail.text).toContain(`${colab.url}${eventPath}`);
	expect(mail.text).toContain(`${colab.url}/account/notifications`);
	expect(mail.html).toContain('has changed');
	await priyaContext.close();

	// With JavaScript off: Priya turns the kind off on both channels.
	const plain = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plainPage = await plain.newPage();
	await signIn(plainPage, priya, { next: '/account/notifications' });
	await plainPage
		.getByRole('group', { name: 'Show on this site' })
		.getByRole('checkbox', changes)
		.uncheck();
	await plainPage
		.getByRole('group', { name: 'Send by email' })
		.getByRole('checkbox', changes)
		.uncheck();
	await plainPage.getByRole('button', { name: 'Save my settings' }).click();
	await expect(plainPage.getByText('Your notification settings are saved.')).toBeVisible();
	await expect(
		plainPage.getByRole('group', { name: 'Send by email' }).getByRole('checkbox', changes)
	).not.toBeChecked();

	await moveTo('11:00', '12:30');
	// The event's own email still comes (it is about her place); no notification does.
	await expect
		.poll(
			() =>
				mailbox.messages.filter((m) => m.to.includes(priya.email) && /^Changed:/.test(m.subject))
					.length,
			{ timeout: 15_000 }
		)
		.toBe(2);
	await plainPage.goto('/notifications');
	await expect(plainPage.getByRole('listitem').filter({ hasText: 'has changed' })).toHaveCount(1);
	await expect(
		nav(plainPage).getByRole('link', { name: 'Notifications', exact: true })
	).toBeVisible();
	expect(
		mailbox.messages.filter((m) => m.to.includes(priya.email) && /has changed/.test(m.subject))
	).toHaveLength(1);

	// "Mark all as read" works without JavaScript too (nothing is unread, so it is not offered).
	await expect(plainPage.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
	await plain.close();
});
