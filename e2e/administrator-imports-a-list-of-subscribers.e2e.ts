import fs from 'node:fs';
import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, uniqueEmail } from './support/people';

// Ada, an administrator, moves the network's old mailing list to CoLab. Her browser first runs
// no JavaScript: she pastes part of the list, with two mistakes, and reads the report line by
// line. A person she imported gets a welcome email whose link opens their preferences. Then,
// with JavaScript on, she uploads the rest as a file (one person is already on the list), downloads
// the subscribers as CSV, and blocks an address using only the keyboard. A curator and a visitor
// are refused all of it. Every state of the page passes axe at 1280 and 390 px.

test('an administrator imports a list of subscribers, exports it and blocks an address', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const ada = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Ada Okafor', role: 'administrator' }
	);
	const bea = uniqueEmail('bea');
	const cal = uniqueEmail('cal');
	const dev = uniqueEmail('dev');
	const eli = uniqueEmail('eli');

	// Without JavaScript: paste the list.
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await signIn(plain, ada, { next: '/admin/updates' });
	await expect(plain.getByRole('heading', { level: 1, name: 'Email updates' })).toBeVisible();
	await plain
		.getByLabel('Or paste the list')
		.fill(
			[
				'email,agreed_on,how',
				`${bea},2026-03-14,"signed up on the paper form, March event"`,
				'not an address,2026-03-14,paper form',
				`${cal},2099-01-01,paper form`,
				`${dev},2025-11-02,ticked the box on the old website`
			].join('\n')
		);
	await plain.getByRole('checkbox', { name: 'New events' }).check();
	await plain.getByRole('button', { name: 'Import and send welcome emails' }).click();
	await expect(plain.getByRole('alert').filter({ hasText: 'Import finished' })).toContainText(
		'2 people were imported and sent a welcome email. 2 lines have a mistake and were not imported.'
	);
	const mistakes = plain.getByRole('table', { name: 'Lines with a mistake' });
	await expect(mistakes.getByRole('row')).toHaveCount(3);
	await expect(mistakes.getByRole('row').nth(1)).toContainText(
		'3not an addressThe email address is not in the right format.'
	);
	await expect(mistakes.getByRole('row').nth(2)).toContainText(
		'The date they agreed is in the future.'
	);

	// Bea's welcome email opens her preferences, and carries one-click unsubscribe.
	const welcome = await mailbox.waitFor(bea, /have moved$/);
	expect(welcome.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
	const visitor = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await visitor.goto(Mailbox.link(welcome, /\/updates\/preferences\//));
	await expect(
		visitor.getByRole('heading', { level: 1, name: 'Your email updates' })
	).toBeVisible();
	await expect(visitor.getByRole('checkbox', { name: 'New events' })).toBeChecked();
	await expect(visitor.getByRole('checkbox', { name: 'Announcements' })).not.toBeChecked();

	// With JavaScript: through the admin menu, then upload a file.
	const page = await (await browser.newContext({ baseURL: colab.url })).newPage();
	await signIn(page, ada, { next: '/admin' });
	const nav = page.getByRole('navigation', { name: 'Administration' });
	await nav.getByRole('link', { name: 'Email updates' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Email updates' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Email updates' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	await expect(page.getByText('2 people get updates.')).toBeVisible();
	await axe(page);

	// A mistake first: no topic chosen. Nothing is imported, and the message is by the field.
	await page.getByLabel('CSV file').setInputFiles({
		name: 'old-list.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(
			`\uFEFFemail,agreed_on,how\r\n${bea},2026-03-14,form\r\n${eli},2026-01-05,form\r\n`
		)
	});
	await page.getByRole('button', { name: 'Import and send welcome emails' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(
		page.getByText('Choose at least one topic for the people you import.').first()
	).toBeVisible();
	await axe(page);

	await page.getByLabel('CSV file').setInputFiles({
		name: 'old-list.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(
			`\uFEFFemail,agreed_on,how\r\n${bea},2026-03-14,form\r\n${eli},2026-01-05,form\r\n`
		)
	});
	await page.getByRole('checkbox', { name: 'Announcements' }).check();
	await page.getByRole('button', { name: 'Import and send welcome emails' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Import finished' })).toContainText(
		'1 person was imported and sent a welcome email. 1 line was left out on purpose.'
	);
	await expect(page.getByRole('table', { name: 'Lines left out on purpose' })).toContainText(
		'Already subscribed: left as it is.'
	);
	await axe(page);
	await mailbox.waitFor(eli, /have moved$/);
	expect(mailbox.messages.filter((m) => m.to.includes(bea))).toHaveLength(1);

	// The export: a download with everyone, UTF-8 with a byte-order mark, private.
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: /Download the subscribers/ }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^subscribers-\d{4}-\d{2}-\d{2}\.csv$/);
	const exported = fs.readFileSync((await download.path())!);
	expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = exported.toString('utf8');
	expect(text).toContain('email,status,topics,agreed_on,how,created\r\n');
	expect(text).toContain(
		`${bea},subscribed,events,2026-03-14,"signed up on the paper form, March event",`
	);
	expect(text).toContain(`${eli},subscribed,announcements,2026-01-05,form,`);
	const answer = await page.request.get('/admin/updates/subscribers.csv');
	expect(answer.headers()['cache-control']).toBe('private, no-store');
	expect(answer.headers()['content-type']).toBe('text/csv; charset=utf-8');

	// Block Dev's address, by keyboard only.
	await page.getByLabel('Email address to block').focus();
	await page.keyboard.type(dev);
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Block this address' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('alert').filter({ hasText: 'Address blocked' })).toContainText(
		`${dev} is blocked.`
	);
	await expect(page.getByText('1 address is blocked.')).toBeVisible();
	await expect(page.getByText('2 people get updates.')).toBeVisible();
	await axe(page);
	// A mistake in the block form: the message is by the field, the text kept.
	await page.getByLabel('Email address to block').fill('nobody at all');
	await page.getByRole('button', { name: 'Block this address' }).click();
	await expect(page.getByLabel('Email address to block')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Email address to block')).toHaveValue('nobody at all');
	await axe(page);

	// A member, a curator and a visitor are refused the page, the file and the forms.
	for (const role of ['member', 'curator'] as const) {
		const person = await createPerson(
			{ colab, mailbox, browser },
			{ name: role === 'member' ? 'Mo Member' : 'Cat Curator', role }
		);
		const other = await (await browser.newContext({ baseURL: colab.url })).newPage();
		await signIn(other, person);
		expect((await other.goto('/admin/updates'))?.status(), role).toBe(403);
		expect((await other.request.get('/admin/updates/subscribers.csv')).status(), role).toBe(403);
		for (const [action, form] of [
			[
				'import',
				{ csv_text: `email,agreed_on,how\n${uniqueEmail('x')},2026-01-01,x`, topics: 'events' }
			],
			['block', { block_email: eli }]
		] as const) {
			const forged = await other.request.post(`/admin/updates?/${action}`, {
				form,
				headers: { origin: colab.url },
				maxRedirects: 0
			});
			expect(forged.status(), `${role} ${action}`).toBe(403);
		}
		await other.context().close();
	}
	// Nothing they sent changed the list.
	await page.goto('/admin/updates');
	await expect(page.getByText('2 people get updates.')).toBeVisible();
	await expect(page.getByText('1 address is blocked.')).toBeVisible();
	const stranger = await visitor.request.get('/admin/updates/subscribers.csv', { maxRedirects: 0 });
	expect(stranger.status()).toBe(303);
	expect(stranger.headers()['location']).toMatch(/^\/sign-in\?next=/);
	await visitor.goto('/admin/updates');
	await expect(visitor).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fupdates$/);
});
