import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { newId } from '../src/lib/server/ids';

// Sam looks for events with a word they all share, without JavaScript. There are 25, so the
// list has two pages: Next leads to the second, which says which page it is, and Previous
// back to the first. An old bookmark to "?page=2" still finds the second page; a link cut
// short says so plainly.
test('a visitor pages through a filtered list of events by Next and Previous', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	// Two axe runs and four people-free page loads; generous for a busy two-core machine.
	test.setTimeout(180_000);
	const host = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Priya Shah', role: 'curator' }
	);
	const word = `walkabout${Date.now()}`;
	await signIn(page, host);
	const firstId = await hostEvent(page, { title: `${word} 01` });
	// The other 24 are copies of the first, a day apart, written as another instance would.
	const database = openServerDatabase(colab);
	try {
		const first = await database.db
			.selectFrom('event')
			.selectAll()
			.where('id', '=', firstId)
			.executeTakeFirstOrThrow();
		const day = 24 * 60 * 60 * 1000;
		await database.db.transaction().execute(async (trx) => {
			await trx
				.insertInto('event')
				.values(
					Array.from({ length: 24 }, (_, i) => ({
						...first,
						id: newId(),
						title: `${word} ${String(i + 2).padStart(2, '0')}`,
						starts_at: new Date(Date.parse(first.starts_at) + (i + 1) * day).toISOString(),
						ends_at: new Date(Date.parse(first.ends_at) + (i + 1) * day).toISOString()
					}))
				)
				.execute();
			await markContentChanged(trx);
		});
	} finally {
		await database.close();
	}

	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const sam = await noScript.newPage();
	await sam.goto('/events');
	await sam.getByRole('main').getByRole('searchbox', { name: 'Search' }).fill(word);
	await sam.getByRole('button', { name: 'Show events' }).click();
	await expect(
		sam.getByRole('heading', { level: 2, name: '25 events coming up that match' })
	).toBeVisible();
	const pages = sam.getByRole('navigation', { name: 'Pages of events' });
	await expect(pages.getByText('Page 1 of 2')).toHaveAttribute('aria-current', 'page');
	await expect(sam.getByRole('heading', { level: 3 })).toHaveCount(20);
	await expect(sam.getByRole('link', { name: `${word} 20` })).toBeVisible();
	await expect(pages.getByRole('link', { name: 'Previous page' })).toHaveCount(0);

	await pages.getByRole('link', { name: 'Next page' }).click();
	await expect(sam).toHaveURL(/[?&]after=[^&]+/);
	await expect(sam).toHaveURL(/[?&]page=2(&|$)/);
	await expect(pages.getByText('Page 2 of 2')).toHaveAttribute('aria-current', 'page');
	await expect(sam.getByRole('heading', { level: 3 })).toHaveCount(5);
	await expect(sam.getByRole('link', { name: `${word} 21` })).toBeVisible();
	await expect(sam.getByRole('link', { name: `${word} 25` })).toBeVisible();
	await expect(pages.getByRole('link', { name: 'Next page' })).toHaveCount(0);
	// The filters stay as they were.
	await expect(sam.getByRole('main').getByRole('searchbox', { name: 'Search' })).toHaveValue(word);
	const second = sam.url();
	// axe runs as a script, so the second page is checked in a browser with JavaScript.
	await page.goto(second);
	await expect(page.getByText('Page 2 of 2')).toBeVisible();
	// (axe checks it at 1280 px and at 390 px.)
	await axe(page);

	await pages.getByRole('link', { name: 'Previous page' }).click();
	await expect(pages.getByText('Page 1 of 2')).toBeVisible();
	await expect(sam.getByRole('link', { name: `${word} 01` })).toBeVisible();
	// The first page's address is the list's own: the filters, and no position.
	const firstPage = new URL(sam.url()).searchParams;
	expect(firstPage.get('q')).toBe(word);
	expect(['after', 'before', 'page'].filter((key) => firstPage.has(key))).toEqual([]);

	// A bookmark from before Next and Previous: the same second page.
	await sam.goto(`/events?q=${word}&page=2`);
	const after = new URL(second).searchParams.get('after') ?? 'missing';
	await expect(sam).toHaveURL(
		`${colab.url}/events?${new URLSearchParams({ q: word, after, page: '2' })}`
	);
	await expect(pages.getByText('Page 2 of 2')).toBeVisible();
	expect((await sam.goto(`/events?q=${word}&page=3`))?.status()).toBe(404);
	expect((await sam.goto('/events?page=0'))?.status()).toBe(404);

	// A link cut short, or edited by hand.
	const broken = await sam.goto(`/events?q=${word}&after=2030-01-01T00%3A00&page=2`);
	expect(broken?.status()).toBe(400);
	await expect(sam.getByText('This link to a page of events is not complete.')).toBeVisible();

	// A search longer than the 100 characters searched: the box keeps all of it and says so.
	const long = `${word} ${'and more words '.repeat(8)}`.trim();
	await sam.goto(`/events?${new URLSearchParams({ q: long })}`);
	await expect(sam.getByRole('main').getByRole('searchbox', { name: 'Search' })).toHaveValue(long);
	await expect(sam.getByText('Only the first 100 characters are searched.')).toBeVisible();
	await noScript.close();
});
