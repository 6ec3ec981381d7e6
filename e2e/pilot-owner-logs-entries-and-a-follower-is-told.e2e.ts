import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { createPerson, signIn } from './support/people';

// Olu starts a pilot and logs an entry. Mo, who is not on its team, follows it with JavaScript
// off. Olu logs a second entry (also without JavaScript),
// and Mo is told in the site and by email. Then Olu starts a pilot only the team may read: Nia,
// who is not on it, gets "not found" without its title, and it is not in her list. On the way
// Olu corrects an entry, finishes the pilot and turns it into a case study in one step. Every
// page with JavaScript passes axe at both widths.
test('a pilot owner logs entries and a follower is told; a team-only pilot is refused to others', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(300_000);
	const olu = await createPerson({ colab, mailbox, browser }, { name: 'Olu Owner' });
	const mo = await createPerson({ colab, mailbox, browser }, { name: 'Mo Follower' });
	const nia = await createPerson({ colab, mailbox, browser }, { name: 'Nia Outsider' });
	const title = 'Evening drop-in for working carers';

	// Mo asks for notification emails at once (they come once a day until she chooses).
	const moContext = await browser.newContext({ baseURL: colab.url });
	const moPage = await moContext.newPage();
	await signIn(moPage, mo, { next: '/account/notifications' });
	await expect(
		moPage
			.getByRole('group', { name: 'Send by email' })
			.getByRole('checkbox', { name: 'New entries in pilots you follow' })
	).toBeChecked();
	await moPage.getByRole('radio', { name: 'At once' }).check();
	await moPage.getByRole('button', { name: 'Save my settings' }).click();
	await expect(moPage.getByText('Your notification settings are saved.')).toBeVisible();

	// Olu starts the pilot from the list; a first try with nothing filled in says what is missing.
	const oluContext = await browser.newContext({ baseURL: colab.url });
	const olu1 = await oluContext.newPage();
	await signIn(olu1, olu, { next: '/pilots' });
	await expect(olu1.getByRole('heading', { level: 1, name: 'Pilots' })).toBeVisible();
	await axe(olu1);
	await olu1.getByRole('link', { name: 'Start a pilot' }).click();
	await olu1.waitForLoadState('networkidle');
	await olu1.getByRole('button', { name: 'Start the pilot' }).click();
	const summary = olu1.getByRole('alert');
	await expect(summary).toContainText('Enter a title for the pilot');
	await expect(summary).toContainText('Choose at least one service area');
	await axe(olu1);
	await olu1.getByLabel('Title', { exact: true }).fill(title);
	await olu1
		.getByLabel('What we are trying')
		.fill('Carers who work cannot come in the morning, so we are trying **evenings**.');
	await olu1.getByRole('checkbox', { name: 'Carers and unpaid care' }).check();
	await olu1.getByRole('radio', { name: /^Everyone/ }).check();
	await olu1.getByRole('button', { name: 'Start the pilot' }).click();
	await expect(olu1.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(olu1.getByText('Your pilot has started.')).toBeVisible();
	const pilotPath = new URL(olu1.url()).pathname;
	await axe(olu1);

	// The first entry: an empty one is refused, with the date kept.
	await olu1.getByRole('link', { name: 'Add an entry' }).click();
	await olu1.waitForLoadState('networkidle');
	await olu1.getByLabel('Date').fill('2026-11-03');
	await olu1.getByRole('button', { name: 'Add the entry' }).click();
	await expect(olu1.getByRole('alert')).toContainText('Write at least one part');
	await expect(olu1.getByLabel('Date')).toHaveValue('2026-11-03');
	await axe(olu1);
	await olu1.getByLabel('What we tried').fill('Opened the room from 6 to 8.');
	await olu1.getByLabel('What we learned').fill('People came straight from work.');
	await olu1.getByRole('button', { name: 'Add the entry' }).click();
	await expect(olu1.getByText('Your entry is added.')).toBeVisible();
	await expect(olu1.getByRole('heading', { level: 3, name: '3 November 2026' })).toBeVisible();
	await axe(olu1);

	// Mo, without JavaScript, finds the pilot in the list and follows it.
	const plainMo = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plainMoPage = await plainMo.newPage();
	await signIn(plainMoPage, mo, { next: '/pilots?status=running' });
	await plainMoPage.getByRole('link', { name: title }).click();
	await plainMoPage.getByRole('button', { name: 'Follow this pilot' }).click();
	await expect(plainMoPage.getByText('You are following this pilot.')).toBeVisible();
	await expect(plainMoPage.getByRole('button', { name: 'Stop following' })).toBeVisible();
	await plainMo.close();

	// Olu logs the second entry without JavaScript.
	const plainOlu = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plainOluPage = await plainOlu.newPage();
	await signIn(plainOluPage, olu, { next: `${pilotPath}/entries/new` });
	await plainOluPage.getByLabel('Date').fill('2026-11-17');
	await plainOluPage.getByLabel('What happened').fill('Nine carers came, two for the first time.');
	await plainOluPage
		.getByLabel('What we will change next')
		.fill('Ask the carers’ assessment team to come.');
	await plainOluPage.getByRole('button', { name: 'Add the entry' }).click();
	await expect(plainOluPage.getByText('Your entry is added.')).toBeVisible();
	// Newest first.
	await expect(plainOluPage.getByRole('heading', { level: 3 })).toHaveText([
		'17 November 2026',
		'3 November 2026'
	]);
	await plainOlu.close();

	// Mo is told in the site, with a link to the entry, and by email at once.
	const told = `Olu Owner added an entry to the pilot “${title}”`;
	const nav = (p: Page) => p.getByRole('navigation', { name: 'Main' });
	await moPage.goto('/');
	await nav(moPage).getByRole('link', { name: 'Notifications 1 unread' }).click();
	const item = moPage.getByRole('listitem').filter({ hasText: told });
	await expect(item).toContainText('New');
	await axe(moPage);
	await item.getByRole('link').first().click();
	await expect(moPage).toHaveURL(new RegExp(`${pilotPath}#entry-`));
	await expect(moPage.getByText('Nine carers came, two for the first time.')).toBeVisible();
	await axe(moPage);
	const mail = await mailbox.waitFor(mo.email, /^Olu Owner added an entry to the pilot/);
	expect(mail.text).toContain(`${colab.url}${pilotPath}#entry-`);

	// Olu's team page: he adds Mo, so she can write entries too.
	await olu1.goto(`${pilotPath}/team`);
	await olu1.getByLabel('Their email address').fill('nobody-here@example.test');
	await olu1.getByRole('button', { name: 'Add to the team' }).click();
	await expect(olu1.getByRole('alert')).toContainText('Nobody has an account');
	await axe(olu1);
	await olu1.getByLabel('Their email address').fill(mo.email);
	await olu1.getByRole('button', { name: 'Add to the team' }).click();
	await expect(olu1.getByText('Mo Follower is on the team now.')).toBeVisible();
	await axe(olu1);

	// Anyone on the team corrects an entry; followers are not told again.
	await olu1.goto(pilotPath);
	await olu1.getByRole('link', { name: 'Edit the entry of 3 November 2026' }).click();
	await olu1.waitForLoadState('networkidle');
	await expect(olu1.getByLabel('What we tried')).toHaveValue('Opened the room from 6 to 8.');
	await axe(olu1);
	await olu1.getByLabel('What we learned').fill('People came straight from work, hungry.');
	await olu1.getByRole('button', { name: 'Save the entry' }).click();
	await expect(olu1.getByText('The entry is saved.')).toBeVisible();
	await expect(olu1.getByText('People came straight from work, hungry.')).toBeVisible();

	// The pilot finishes, and becomes a case study in one step, keeping its log linked.
	await olu1.getByRole('link', { name: 'Change the pilot, its status or who can read it' }).click();
	await olu1.waitForLoadState('networkidle');
	await olu1.getByRole('radio', { name: /^Finished/ }).check();
	await olu1.getByRole('button', { name: 'Save the pilot' }).click();
	await expect(olu1.getByText('The pilot’s details are saved.')).toBeVisible();
	await olu1.getByRole('button', { name: 'Turn this pilot into a case study' }).click();
	await expect(olu1).toHaveURL(/\/library\/[a-z0-9-]+\/edit$/);
	await olu1.goto(pilotPath);
	await expect(olu1.getByRole('link', { name: 'Read the case study' })).toBeVisible();
	await expect(olu1.getByRole('button', { name: 'Turn this pilot into a case study' })).toHaveCount(
		0
	);
	await axe(olu1);
	// The draft case study links back to the log it came from.
	await olu1.getByRole('link', { name: 'Read the case study' }).click();
	await expect(olu1.getByText('This case study came out of a pilot.')).toBeVisible();
	await expect(olu1.getByRole('link', { name: title })).toHaveAttribute('href', pilotPath);

	// A pilot only its team may read: refused to Nia, without its title, and not in her list.
	const secret = 'Private planning for the winter rota';
	await olu1.goto('/pilots/new');
	await olu1.waitForLoadState('networkidle');
	await olu1.getByLabel('Title', { exact: true }).fill(secret);
	await olu1.getByLabel('What we are trying').fill('Who covers which evening.');
	await olu1.getByRole('checkbox', { name: 'Carers and unpaid care' }).check();
	await olu1.getByRole('radio', { name: /^Only our team/ }).check();
	await olu1.getByRole('button', { name: 'Start the pilot' }).click();
	await expect(olu1.getByRole('heading', { level: 1, name: secret })).toBeVisible();
	const secretPath = new URL(olu1.url()).pathname;
	await olu1.goto(`${secretPath}/edit`);
	await expect(olu1.getByRole('radio', { name: /^Only our team/ })).toBeChecked();
	await axe(olu1);
	await oluContext.close();

	const niaContext = await browser.newContext({ baseURL: colab.url });
	const niaPage = await niaContext.newPage();
	await signIn(niaPage, nia, { next: '/pilots' });
	await expect(niaPage.getByRole('link', { name: title })).toBeVisible();
	await expect(niaPage.getByText(secret)).toHaveCount(0);
	const refused = await niaPage.goto(secretPath);
	expect(refused?.status()).toBe(404);
	await expect(niaPage.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	expect(await niaPage.content()).not.toContain(secret);
	await axe(niaPage);
	// Nor can she add an entry to it, or follow it.
	const post = await niaPage.request.post(`${secretPath}/entries/new`, {
		form: { date: '2026-11-20', tried: 'Sneaking in' },
		headers: { origin: colab.url, accept: 'text/html' }
	});
	expect(post.status()).toBe(404);
	const follow = await niaPage.request.post(`${secretPath}?/follow`, {
		form: {},
		headers: { origin: colab.url, accept: 'text/html' }
	});
	expect(follow.status()).toBe(404);
	await niaContext.close();
	await moContext.close();
});
