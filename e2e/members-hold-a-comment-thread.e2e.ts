import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { seedPublishedPost } from './support/posts';
import { sameMarkup } from './support/markup';

// A post is published (put straight in the database: the writing side is built alongside).
// A visitor reads its comments and is asked to sign in. Mo sends an empty comment first (a
// clear message), then a real one; Rae replies to it; Mo edits their comment within the 15
// minutes and then deletes it, which leaves "Comment deleted" above Rae's reply. Then Rae,
// without JavaScript, sends a comment that is too long (the limit is said and the text kept),
// a shorter one, and deletes it: with no replies, it disappears. Every page passes axe.

test('members hold a comment thread: a comment, a reply, an edit and deletions', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(420_000);
	const post = await seedPublishedPost(colab, { title: 'What makes a café welcoming' });
	const address = `/blog/${post.slug}/comments`;

	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto(address);
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(
		'Comments on “What makes a café welcoming”'
	);
	await expect(visitor.getByText('No comments yet.')).toBeVisible();
	await expect(visitor.getByRole('link', { name: 'Sign in to comment' })).toBeVisible();
	await axe(visitor);

	const mo = await createPerson({ colab, mailbox, browser }, { name: 'Mo Member' });
	const rae = await createPerson({ colab, mailbox, browser }, { name: 'Rae Replier' });

	const moContext = await browser.newContext({ baseURL: colab.url });
	const moPage = await moContext.newPage();
	await signIn(moPage, mo, { next: address });
	await expect(moPage).toHaveURL(new RegExp(`${address}$`));
	await moPage.getByRole('button', { name: 'Send comment' }).click();
	await expect(moPage.getByRole('alert')).toContainText('Write your comment before sending it');
	await axe(moPage);
	await moPage.getByLabel('Your comment').fill('Someone **remembered my name**. That was it.');
	await moPage.getByRole('button', { name: 'Send comment' }).click();
	const moComment = moPage.getByRole('article', { name: 'Comment by Mo Member' });
	await expect(moComment.locator('strong', { hasText: 'remembered my name' })).toBeVisible();
	await axe(moPage);

	const raeContext = await browser.newContext({ baseURL: colab.url });
	const raePage = await raeContext.newPage();
	await signIn(raePage, rae, { next: address });
	await raePage.getByRole('link', { name: 'Reply to Mo Member' }).click();
	await raePage.getByLabel('Your reply to Mo Member').fill('Same for me. A name and a cup of tea.');
	await axe(raePage);
	await raePage.getByRole('button', { name: 'Send reply' }).click();
	const replies = raePage.getByRole('list', { name: 'Replies' });
	await expect(replies.getByText('Same for me. A name and a cup of tea.')).toBeVisible();
	// Rae may report Mo's comment, but has no edit or delete for it.
	await expect(
		raePage.getByRole('link', { name: 'Report the comment by Mo Member' })
	).toBeVisible();
	await expect(
		raePage
			.getByRole('article', { name: 'Comment by Mo Member' })
			.getByRole('link', { name: /Edit/ })
	).toHaveCount(0);

	// The post page itself. Members are served one render shared by all of them, with their own
	// parts filled in (the header's count, their comments' Edit and Delete): it must be exactly
	// the page rendered for each of them. `?full` is a query that is never shared.
	const postPage = `/blog/${post.slug}`;
	for (const member of [moPage, raePage]) {
		await member.request.get(postPage);
		const sharedResponse = await member.request.get(postPage);
		const ownResponse = await member.request.get(`${postPage}?full`);
		const [shared, ownRender] = [await sharedResponse.text(), await ownResponse.text()];
		for (const header of ['content-security-policy', 'content-type', 'x-content-type-options']) {
			expect(sharedResponse.headers()[header]).toBe(ownResponse.headers()[header]);
		}
		expect(sharedResponse.headers()['cache-control']).toBe('private, no-store');
		expect(sharedResponse.headers()['x-colab-render']).toBe('shared');
		expect(ownResponse.headers()['x-colab-render']).toBeUndefined();
		expect(shared).toContain('<!--colab-slot:');
		expect(ownRender).not.toContain('<!--colab-slot:');
		expect(sameMarkup(shared)).toBe(sameMarkup(ownRender));
	}
	// Mo's copy has the count of Rae's reply, his own Edit and Delete, and no Report on his own.
	await moPage.goto(postPage);
	await expect(moPage.getByRole('link', { name: /Notifications\s*1 unread/ })).toBeAttached();
	const mine = moPage.getByRole('article', { name: 'Comment by Mo Member' });
	await expect(mine.getByRole('link', { name: 'Edit your comment' })).toBeVisible();
	await expect(mine.getByRole('button', { name: 'Delete your comment' })).toBeVisible();
	await expect(mine.getByRole('link', { name: /Report/ })).toHaveCount(0);

	// Mo edits within the 15 minutes.
	await moPage.goto(address);
	await moPage.getByRole('link', { name: 'Edit your comment' }).click();
	const edit = moPage.getByLabel('Edit your comment');
	await expect(edit).toHaveValue('Someone **remembered my name**. That was it.');
	await axe(moPage);
	await edit.fill('Someone remembered my name, and asked how my week went.');
	await moPage.getByRole('button', { name: 'Save changes' }).click();
	await expect(moPage.getByText('asked how my week went')).toBeVisible();
	await expect(moPage.getByText('(edited)')).toBeVisible();

	// Mo deletes it: Rae's reply stays under "Comment deleted".
	await moPage
		.getByRole('article', { name: 'Comment by Mo Member' })
		.getByRole('button', { name: 'Delete your comment' })
		.click();
	await expect(moPage.getByText('Your comment is deleted.')).toBeVisible();
	await expect(moPage.getByText('Comment deleted')).toBeVisible();
	await expect(moPage.getByText('Same for me. A name and a cup of tea.')).toBeVisible();
	await expect(moPage.getByText('asked how my week went')).toHaveCount(0);
	await axe(moPage);
	await moContext.close();
	await raeContext.close();

	// Without JavaScript: the limit is said, the text kept; a deleted lone comment disappears.
	const plainContext = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plain = await plainContext.newPage();
	await signIn(plain, rae, { next: address });
	const long = `${'A very long thought. '.repeat(240)}The end.`;
	await plain.getByLabel('Your comment').fill(long);
	await plain.getByRole('button', { name: 'Send comment' }).click();
	await expect(plain.getByRole('alert')).toContainText('5,000 characters or fewer');
	await expect(plain.getByLabel('Your comment')).toHaveValue(long);
	// (axe runs in the page, so it checked this page's error state above, with JavaScript on.)
	await plain.getByLabel('Your comment').fill('A shorter thought, sent without JavaScript.');
	await plain.getByRole('button', { name: 'Send comment' }).click();
	const lone = plain.getByRole('article', { name: 'Comment by Rae Replier' }).filter({
		hasText: 'A shorter thought'
	});
	await expect(lone).toBeVisible();
	await lone.getByRole('button', { name: 'Delete your comment' }).click();
	await expect(plain.getByText('Your comment is deleted.')).toBeVisible();
	await expect(plain.getByText('A shorter thought, sent without JavaScript.')).toHaveCount(0);
	await plainContext.close();

	// The visitor sees the thread as it now is.
	await visitor.reload();
	await expect(visitor.getByText('Comment deleted')).toBeVisible();
	await expect(visitor.getByText('Same for me. A name and a cup of tea.')).toBeVisible();
	await expect(visitor.getByRole('link', { name: /Report/ })).toHaveCount(0);
	await visitorContext.close();
});
