import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { createPerson, signIn } from './support/people';
import { openServerDatabase } from './support/direct-database';
import { seedPublishedPost } from './support/posts';

// Mo asks for notification emails at once, and comments on a post from the post's own page.
// Rae replies there. Mo sees the unread count in the header, the notification on her
// notifications page (it links to the reply), and the email. Then, with JavaScript off, Mo
// turns replies off on both channels, and Rae's next reply tells her nothing, in the site or
// by email. Every page passes axe.
test('a member is told of a reply, in the site and by email, and turns replies off', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(240_000);
	const post = await seedPublishedPost(colab, { title: 'Finding your way to the café' });
	const postPath = `/blog/${post.slug}`;
	const mo = await createPerson({ colab, mailbox, browser }, { name: 'Mo Member' });
	const rae = await createPerson({ colab, mailbox, browser }, { name: 'Rae Replier' });
	const replies = { name: 'Replies to your comments' };
	const nav = (p: Page) => p.getByRole('navigation', { name: 'Main' });

	const moContext = await browser.newContext({ baseURL: colab.url });
	const moPage = await moContext.newPage();
	await signIn(moPage, mo, { next: '/account/notifications' });
	// Replies are on for both channels from the start; email comes once a day until she chooses.
	await expect(
		moPage.getByRole('group', { name: 'Show on this site' }).getByRole('checkbox', replies)
	).toBeChecked();
	await expect(
		moPage.getByRole('group', { name: 'Send by email' }).getByRole('checkbox', replies)
	).toBeChecked();
	await moPage.getByRole('radio', { name: 'At once' }).check();
	await moPage.getByRole('button', { name: 'Save my settings' }).click();
	await expect(moPage.getByText('Your notification settings are saved.')).toBeVisible();
	await axe(moPage);

	// Mo comments from the post page itself.
	await moPage.goto(postPath);
	await moPage
		.getByLabel('Your comment')
		.fill('The bus stop is right outside. Ask for the library.');
	await moPage.getByRole('button', { name: 'Send comment' }).click();
	await expect(moPage).toHaveURL(new RegExp(`${postPath}(#.*)?$`));
	await expect(moPage.getByRole('article', { name: 'Comment by Mo Member' })).toBeVisible();
	await axe(moPage);

	const raeContext = await browser.newContext({ baseURL: colab.url });
	const raePage = await raeContext.newPage();
	await signIn(raePage, rae, { next: postPath });
	async function raeReplies(text: string) {
		await raePage.goto(postPath);
		await raePage.getByRole('link', { name: 'Reply to Mo Member' }).click();
		await raePage.getByLabel('Your reply to Mo Member').fill(text);
		await raePage.getByRole('button', { name: 'Send reply' }).click();
		await expect(raePage.getByRole('list', { name: 'Replies' }).getByText(text)).toBeVisible();
	}
	await raeReplies('Thank you, that helps a lot.');

	// In the site: a count in the header, then the notification, which links to the reply.
	await moPage.goto('/');
	await expect(nav(moPage).getByRole('link', { name: 'Notifications 1 unread' })).toBeVisible();
	await nav(moPage).getByRole('link', { name: 'Notifications 1 unread' }).click();
	const told = moPage
		.getByRole('listitem')
		.filter({ hasText: 'Rae Replier replied to your comment on “Finding your way to the café”' });
	await expect(told).toContainText('New');
	await axe(moPage);
	await told.getByRole('link').first().click();
	await expect(moPage).toHaveURL(new RegExp(`${postPath}#comment-`));
	await expect(
		moPage.getByRole('list', { name: 'Replies' }).getByText('Thank you, that helps a lot.')
	).toBeVisible();

	// By email, at once, with the way back and the settings.
	const mail = await mailbox.waitFor(mo.email, /^Rae Replier replied to your comment/);
	expect(mail.text).toContain(`${colab.url}${postPath}#comment-`);
	expect(mail.text).toContain(`${colab.url}/account/notifications`);
	await moContext.close();

	// Without JavaScript, Mo turns replies off on both channels.
	const plain = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plainPage = await plain.newPage();
	await signIn(plainPage, mo, { next: '/account/notifications' });
	for (const channel of ['Show on this site', 'Send by email']) {
		await plainPage.getByRole('group', { name: channel }).getByRole('checkbox', replies).uncheck();
	}
	await plainPage.getByRole('button', { name: 'Save my settings' }).click();
	await expect(plainPage.getByText('Your notification settings are saved.')).toBeVisible();

	await raeReplies('And the lift is at the back.');
	await raeContext.close();
	await plainPage.goto('/notifications');
	await expect(
		plainPage.getByRole('listitem').filter({ hasText: 'replied to your comment' })
	).toHaveCount(1);
	await expect(
		nav(plainPage).getByRole('link', { name: 'Notifications', exact: true })
	).toBeVisible();
	// The reply and any notification email are written in one transaction, so the outbox
	// already holds every email this reply could send: still only the first one.
	const database = openServerDatabase(colab);
	try {
		const emails = await database.db
			.selectFrom('mail_outbox')
			.innerJoin('app_user', 'app_user.id', 'mail_outbox.user_id')
			.select('mail_outbox.id')
			.where('app_user.email', '=', mo.email.toLowerCase())
			.where('mail_outbox.kind', '=', 'notifications.at-once')
			.execute();
		expect(emails).toHaveLength(1);
	} finally {
		await database.close();
	}
	await plain.close();
});
