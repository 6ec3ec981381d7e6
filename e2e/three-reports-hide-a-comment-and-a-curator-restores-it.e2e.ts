import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn } from './support/people';
import { seedPublishedPost } from './support/posts';

// Wren comments on a published post. Three members report the comment (one of them without
// JavaScript, one trying twice and told so); after the third it is hidden, for visitors too.
// A member cannot open /moderation. Cleo, a curator, finds it in the queue with its reports,
// forgets the message to the author first (a clear message), then restores it: it shows again,
// and Wren gets an email saying what was decided and why. Cleo opens the moderation settings,
// where the number of reports that hides a thing is hers to choose. Every page passes axe.

test('three reports hide a comment and a curator restores it', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(480_000);
	const post = await seedPublishedPost(colab, { title: 'Running a repair café' });
	const address = `/blog/${post.slug}/comments`;
	const env = { colab, mailbox, browser };
	const wren = await createPerson(env, { name: 'Wren Writer' });
	const reporters = [
		await createPerson(env, { name: 'Ana Reader' }),
		await createPerson(env, { name: 'Bo Reader' }),
		await createPerson(env, { name: 'Cal Reader' })
	];
	const cleo = await createPerson(env, { name: 'Cleo Curator', role: 'curator' });

	const wrenContext = await browser.newContext({ baseURL: colab.url });
	const wrenPage = await wrenContext.newPage();
	await signIn(wrenPage, wren, { next: address });
	await wrenPage.getByLabel('Your comment').fill('Bring your broken toasters on Saturday.');
	await wrenPage.getByRole('button', { name: 'Send comment' }).click();
	await expect(wrenPage.getByText('Bring your broken toasters on Saturday.')).toBeVisible();
	await wrenContext.close();

	for (const [i, reporter] of reporters.entries()) {
		const context = await browser.newContext({
			baseURL: colab.url,
			// The second reporter's browser runs no JavaScript.
			javaScriptEnabled: i !== 1
		});
		const page = await context.newPage();
		await signIn(page, reporter, { next: address });
		await page.getByRole('link', { name: 'Report the comment by Wren Writer' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report a comment');
		if (i === 0) {
			await page.getByRole('button', { name: 'Send report' }).click();
			await expect(page.getByRole('alert')).toContainText('Choose why you are reporting it');
			await expect(page.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#reason');
			await axe(page);
		}
		const reportPage = page.url();
		await page.getByLabel('Spam or advertising').check();
		await page
			.getByLabel('Anything a curator should know (optional)')
			.fill(`Advert number ${i + 1}`);
		await page.getByRole('button', { name: 'Send report' }).click();
		await expect(page.getByText('We got your report.')).toBeVisible();
		// axe runs in the page, so only where JavaScript is on.
		if (i !== 1) await axe(page);
		if (i === 0) {
			// Reporting the same thing twice: a clear message, the note kept.
			await page.goto(reportPage);
			await page.getByLabel('Offensive, hateful or abusive').check();
			await page.getByLabel('Anything a curator should know (optional)').fill('Again');
			await page.getByRole('button', { name: 'Send report' }).click();
			await expect(page.getByRole('alert')).toContainText('You have already reported this');
			await expect(page.getByLabel('Anything a curator should know (optional)')).toHaveValue(
				'Again'
			);
		}
		await context.close();
	}

	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto(address);
	await expect(
		visitor.getByText('This comment is hidden while a curator looks at it.')
	).toBeVisible();
	await expect(visitor.getByText('Bring your broken toasters')).toHaveCount(0);
	await axe(visitor);

	// A member is refused the queue.
	const memberContext = await browser.newContext({ baseURL: colab.url });
	const member = await memberContext.newPage();
	await signIn(member, reporters[0]!);
	const refused = await member.goto('/moderation');
	expect(refused?.status()).toBe(403);
	expect((await member.goto('/moderation/settings'))?.status()).toBe(403);
	await memberContext.close();

	const cleoContext = await browser.newContext({ baseURL: colab.url });
	const cleoPage = await cleoContext.newPage();
	await signIn(cleoPage, cleo, { next: '/moderation' });
	await expect(cleoPage.getByRole('heading', { level: 1 })).toHaveText('Moderation');
	const entry = cleoPage.getByRole('region', {
		name: /Comment: A comment on “Running a repair café”/
	});
	await expect(entry).toContainText('Written by Wren Writer.');
	await expect(entry).toContainText('3 reports.');
	await expect(entry).toContainText('Hidden while you decide.');
	await expect(entry).toContainText('Spam or advertising: 3');
	await expect(entry).toContainText('Advert number 2');
	await axe(cleoPage);
	await entry.getByLabel('Restore it').check();
	await entry.getByRole('button', { name: 'Decide' }).click();
	await expect(cleoPage.getByRole('alert')).toContainText(
		'Tell the author what was decided and why'
	);
	await axe(cleoPage);
	const again = cleoPage.getByRole('region', { name: /Comment: A comment on/ });
	await expect(again.getByLabel('Restore it')).toBeChecked();
	await again
		.getByLabel('Your message to the author')
		.first()
		.fill('These reports were mistaken: a repair café is the point of the post.');
	await again.getByRole('button', { name: 'Decide' }).click();
	await expect(cleoPage.getByText('Restored: it shows again.')).toBeVisible();
	await expect(cleoPage.getByText('Nothing is waiting. Thank you.')).toBeVisible();
	await axe(cleoPage);

	// The number of reports that hides a thing is Cleo's to choose. A word is refused, with what
	// she typed kept; she leaves it at 3.
	await cleoPage.getByRole('link', { name: 'moderation settings' }).click();
	await expect(cleoPage.getByRole('heading', { level: 1 })).toHaveText('Moderation settings');
	const threshold = cleoPage.getByLabel('How many people’s reports hide a post, comment or video');
	await expect(threshold).toHaveValue('3');
	await axe(cleoPage);
	await threshold.fill('three');
	await cleoPage.getByRole('button', { name: 'Save the settings' }).click();
	await expect(cleoPage.getByRole('alert')).toContainText(
		'Reports that hide must be a whole number from 1 to 100'
	);
	await expect(cleoPage.getByRole('alert').getByRole('link')).toHaveAttribute(
		'href',
		'#hideAfterReports'
	);
	await expect(threshold).toHaveValue('three');
	await axe(cleoPage);
	await threshold.fill('3');
	await cleoPage.getByRole('button', { name: 'Save the settings' }).click();
	await expect(cleoPage.getByText('The moderation settings are saved.')).toBeVisible();
	await expect(threshold).toHaveValue('3');
	await cleoContext.close();

	await visitor.reload();
	await expect(visitor.getByText('Bring your broken toasters on Saturday.')).toBeVisible();
	const mail = await mailbox.waitFor(wren.email, /decision about your writing/);
	expect(mail.text).toContain('decided it can stay');
	expect(mail.text).toContain('a repair café is the point of the post');
	expect(Mailbox.link(mail, new RegExp(`/blog/${post.slug}/comments`))).toContain(post.slug);
	await visitorContext.close();
});
