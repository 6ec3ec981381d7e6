import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, uniqueEmail } from './support/people';
import { hostEvent } from './support/events';

// Ada has no account and her browser runs no JavaScript. She asks for a place with her name
// and email address, confirms it from the emailed link (nothing is held until she does), gets
// the details with a calendar file, and later cancels from the same link.
test('a visitor registers by email, confirms, and cancels', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const host = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Jo Bennett', role: 'curator' }
	);
	const title = `Carers’ breakfast ${Date.now()}`;
	await signIn(page, host);
	const eventId = await hostEvent(page, { title, start: '08:00', end: '09:30', places: '10' });

	const ada = uniqueEmail('ada');
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const visitor = await noScript.newPage();
	await visitor.goto(`/events/${eventId}`);
	await expect(visitor.getByText('10 of 10 places left')).toBeVisible();

	// A mistake first: the form comes back with messages, keeping what she typed.
	await visitor.getByLabel('Your name').fill('Ada Lovelace');
	await visitor.getByLabel('Your email address').fill('ada-at-example');
	await visitor.getByRole('checkbox', { name: 'Papers in large print' }).check();
	await visitor.getByRole('button', { name: 'Ask for a place' }).click();
	await expect(visitor.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(visitor.getByLabel('Your email address')).toHaveAttribute('aria-invalid', 'true');
	await expect(visitor.getByLabel('Your name')).toHaveValue('Ada Lovelace');
	await expect(visitor.getByRole('checkbox', { name: 'Papers in large print' })).toBeChecked();

	await test.step('a visitor asks for a place and lands on the confirmation', async () => {
		await visitor.getByLabel('Your email address').fill(ada);
		await visitor.getByRole('button', { name: 'Ask for a place' }).click();
		await expect(visitor).toHaveURL(new RegExp(`/events/${eventId}/check-email$`));
		await expect(
			visitor.getByRole('heading', { level: 1, name: 'Check your email to confirm your place' })
		).toBeVisible();
		await expect(visitor.getByText('Until you confirm, no place is held for you.')).toBeVisible();
		// Never a blank form to send again, nor a "Done" that is not done.
		await expect(visitor.getByLabel('Your email address')).toHaveCount(0);
		await expect(visitor.getByRole('button', { name: 'Ask for a place' })).toHaveCount(0);
		await expect(visitor.getByText('Done', { exact: true })).toHaveCount(0);
	});
	// Nothing is held yet.
	await visitor.goto(`/events/${eventId}`);
	await expect(visitor.getByText('10 of 10 places left')).toBeVisible();

	const confirm = await mailbox.waitFor(ada, /^Confirm your place/);
	const link = Mailbox.link(confirm, /\/events\/places\//);
	await visitor.goto(link);
	await expect(
		visitor.getByRole('heading', { level: 1, name: 'Confirm your place' })
	).toBeVisible();
	await visitor.getByRole('button', { name: 'Confirm my place' }).click();
	await expect(visitor.getByText('Your place is confirmed.')).toBeVisible();
	await expect(visitor.getByRole('heading', { level: 1, name: 'You have a place' })).toBeVisible();

	const details = await mailbox.waitFor(ada, /^Your place at/);
	const ics = details.attachments.find((a) => a.filename?.endsWith('.ics'));
	expect(ics?.content.toString('utf8')).toContain(`UID:event-${eventId}@`);

	// The same pages pass axe with JavaScript on (axe runs in the page).
	const checker = await browser.newContext({ baseURL: colab.url });
	const checking = await checker.newPage();
	for (const width of [1280, 390]) {
		await checking.setViewportSize({ width, height: 900 });
		await checking.goto(`/events/${eventId}/check-email`);
		await expect(checking.getByRole('heading', { level: 1 })).toHaveText(
			'Check your email to confirm your place'
		);
		await axe(checking);
	}
	await checking.setViewportSize({ width: 1280, height: 900 });
	// One event matches her search: the count agrees with it.
	await checking.goto(`/events?q=${encodeURIComponent(title)}`);
	await expect(
		checking.getByRole('heading', { level: 2, name: '1 event coming up that matches' })
	).toBeVisible();
	await checking.goto(link);
	await axe(checking);
	await checking.goto(`/events/${eventId}`);
	await expect(checking.getByText('9 of 10 places left')).toBeVisible();
	await axe(checking);
	await checker.close();

	// Later she cannot come, and cancels from the link in her email.
	await visitor.goto(link);
	await visitor.getByRole('button', { name: 'Cancel my registration' }).click();
	await expect(visitor.getByText('Done. Your registration is cancelled.')).toBeVisible();
	await expect(
		visitor.getByRole('heading', { level: 1, name: 'Your registration is cancelled' })
	).toBeVisible();
	await mailbox.waitFor(ada, /^You have cancelled/);
	await visitor.goto(`/events/${eventId}?after-cancel`);
	await expect(visitor.getByText('10 of 10 places left')).toBeVisible();
	await noScript.close();
});
