import type { Browser } from '@playwright/test';
import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, type Person } from './support/people';
import type { RunningServer } from './support/server';
import { newId, nowIso } from '../src/lib/server/ids';

// Ash volunteers as a champion with JavaScript off, and Cleo, a curator, confirms them. Bo is a
// champion already (seeded, for speed). Fran, a frontline worker, finds Ash by service area and
// asks for help; Ash is told by email and passes the request on to Bo, who accepts. Bo and Fran
// exchange messages, and Fran closes the request saying it helped. Every new page passes axe.

/** Bo, a confirmed champion who knows mental health, straight in the database. */
async function seedChampion(colab: RunningServer, person: Person): Promise<string> {
	const database = openServerDatabase(colab);
	try {
		const user = await database.db
			.selectFrom('app_user')
			.select('id')
			.where('email', '=', person.email.toLowerCase())
			.executeTakeFirstOrThrow();
		const id = newId();
		const now = nowIso();
		await database.db
			.insertInto('champion')
			.values({
				id,
				user_id: user.id,
				help_with:
					'Running meetings where people who use mental health services feel safe to speak.',
				available_breakfast: 0,
				available_lunch: 0,
				available_evening: 1,
				available_online: 1,
				contact_preference: 'email',
				phone: null,
				status: 'confirmed',
				decision_note: null,
				decided_by: null,
				confirmed_at: now,
				created_at: now,
				updated_at: now
			})
			.execute();
		await database.db
			.insertInto('champion_topic')
			.values({ champion_id: id, kind: 'service-area', value: 'service-area:mental-health' })
			.execute();
		return id;
	} finally {
		await database.close();
	}
}

async function signedIn(browser: Browser, colab: RunningServer, person: Person, next: string) {
	const context = await browser.newContext({ baseURL: colab.url });
	const page = await context.newPage();
	await signIn(page, person, { next });
	return { context, page };
}

test('a frontline worker asks a champion, who suggests another, who accepts, and it helped', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(300_000);
	const env = { colab, mailbox, browser };
	const cleo = await createPerson(env, { name: 'Cleo Curator', role: 'curator' });
	const ash = await createPerson(env, { name: 'Ash Champion' });
	const bo = await createPerson(env, { name: 'Bo Champion' });
	const fran = await createPerson(env, { name: 'Fran Frontline' });
	await seedChampion(colab, bo);

	// Ash volunteers, without JavaScript.
	const plain = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const ashPlain = await plain.newPage();
	await signIn(ashPlain, ash, { next: '/champions/volunteer' });
	await expect(ashPlain.getByRole('heading', { name: 'Volunteer as a champion' })).toBeVisible();
	// Sent empty first: every message at once, nothing lost.
	await ashPlain.getByRole('button', { name: 'Offer to be a champion' }).click();
	await expect(ashPlain.getByRole('link', { name: 'Say what you can help with' })).toBeVisible();
	await ashPlain
		.getByRole('group', { name: 'Service areas you know' })
		.getByRole('checkbox', { name: 'Mental health' })
		.check();
	await ashPlain
		.getByRole('group', { name: 'Parts of co-production you know' })
		.getByRole('checkbox')
		.first()
		.check();
	await ashPlain
		.getByLabel('What you can help with')
		.fill('Planning a first meeting with people who use a service.');
	await ashPlain
		.getByRole('group', { name: 'When you are available' })
		.getByRole('checkbox', { name: 'Lunchtime' })
		.check();
	await ashPlain.getByRole('radio', { name: 'Through CoLab only' }).check();
	await ashPlain.getByRole('button', { name: 'Offer to be a champion' }).click();
	await expect(ashPlain.getByText('A curator will look at your offer soon')).toBeVisible();
	await plain.close();

	// Cleo confirms Ash.
	const curator = await signedIn(browser, colab, cleo, '/champions/review');
	await expect(curator.page.getByRole('heading', { name: 'Ash Champion' })).toBeVisible();
	await axe(curator.page);
	await curator.page.getByRole('button', { name: 'Confirm Ash Champion' }).click();
	await expect(curator.page.getByText('The champion is confirmed and told.')).toBeVisible();
	await curator.context.close();

	// Fran finds Ash by service area and availability, and asks.
	const frontline = await signedIn(browser, colab, fran, '/champions');
	const franPage = frontline.page;
	await axe(franPage);
	await franPage.getByLabel('Service area').selectOption({ label: 'Mental health' });
	await franPage.getByLabel('Available').selectOption({ label: 'Lunchtime' });
	await franPage.getByRole('button', { name: 'Show champions' }).click();
	await expect(franPage).toHaveURL(/area=service-area%3Amental-health/);
	await expect(franPage.getByRole('heading', { name: '1 champion' })).toBeVisible();
	await franPage.getByRole('link', { name: 'Ash Champion' }).click();
	await expect(franPage.getByRole('heading', { level: 1, name: 'Ash Champion' })).toBeVisible();
	await axe(franPage);
	await franPage.getByRole('link', { name: 'Ask Ash Champion' }).click();
	await franPage.waitForLoadState('networkidle');
	await axe(franPage);
	await franPage.getByRole('button', { name: 'Send my request' }).click();
	await expect(franPage.getByRole('link', { name: 'Write what you need help with' })).toBeVisible();
	await franPage
		.getByLabel('What do you need help with?')
		.fill('I run a day centre and want people who use it to help plan our new timetable.');
	await franPage.getByLabel('Service area (optional)').selectOption({ label: 'Mental health' });
	await franPage.getByRole('button', { name: 'Send my request' }).click();
	await expect(franPage.getByText('Your request is sent.')).toBeVisible();
	await expect(franPage.getByText('State: Waiting for the champion')).toBeVisible();
	await axe(franPage);
	const requestPath = new URL(franPage.url()).pathname;

	// Ash is told by email, and passes the request on to Bo.
	const toAsh = await mailbox.waitFor(ash.email, /^Fran Frontline asked you for help/);
	const ashSide = await signedIn(browser, colab, ash, '/champions/volunteer');
	await expect(ashSide.page.getByText('Confirmed: members can find and ask you.')).toBeVisible();
	await axe(ashSide.page);
	await ashSide.page.goto('/champions/requests');
	await axe(ashSide.page);
	await ashSide.page.goto(new URL(Mailbox.link(toAsh, /\/champions\/requests\//)).pathname);
	await expect(
		ashSide.page.getByRole('heading', { name: 'Request from Fran Frontline' })
	).toBeVisible();
	await axe(ashSide.page);
	await ashSide.page.getByLabel('Suggest another champion').selectOption({ label: 'Bo Champion' });
	await ashSide.page.getByLabel('A note for them (optional)').fill('Bo knows day centres well.');
	await ashSide.page.getByRole('button', { name: 'Pass it on' }).click();
	await expect(ashSide.page.getByText('You passed the request on.')).toBeVisible();
	// It is no longer Ash's to read.
	const refused = await ashSide.page.goto(requestPath);
	expect(refused?.status()).toBe(403);
	await ashSide.context.close();

	// Bo is told by email, accepts, and writes to Fran.
	const toBo = await mailbox.waitFor(bo.email, /^Fran Frontline asked you for help/);
	expect(toBo.text).toContain('Ash Champion passed on a request');
	const boSide = await signedIn(browser, colab, bo, requestPath);
	await boSide.page.getByRole('button', { name: 'Accept' }).click();
	await expect(boSide.page.getByText('You accepted. Write to them below.')).toBeVisible();
	await boSide.page.getByLabel('Write a message').fill('Happy to help. Shall we talk on Tuesday?');
	await boSide.page.getByRole('button', { name: 'Send message' }).click();
	await expect(boSide.page.getByText('Happy to help. Shall we talk on Tuesday?')).toBeVisible();
	await axe(boSide.page);

	// Fran sees it accepted and passed on, replies, and closes it: it helped.
	await franPage.goto('/champions/requests');
	await axe(franPage);
	await franPage.getByRole('link', { name: /To Bo Champion/ }).click();
	await expect(franPage.getByText('State: Accepted')).toBeVisible();
	await expect(franPage.getByText('Ash Champion passed it on to Bo Champion.')).toBeVisible();
	await franPage.getByLabel('Write a message').fill('Tuesday works. Thank you!');
	await franPage.getByRole('button', { name: 'Send message' }).click();
	await expect(franPage.getByText('Your message is sent.')).toBeVisible();
	await franPage.getByRole('radio', { name: 'Yes, it helped' }).check();
	await franPage
		.getByLabel('Anything to add? (optional)')
		.fill('Bo helped us plan the first meeting.');
	await franPage.getByRole('button', { name: 'Close the request' }).click();
	await expect(franPage.getByText('The request is closed.')).toBeVisible();
	await expect(franPage.getByText('Did it help? Yes, it helped')).toBeVisible();
	await axe(franPage);
	await frontline.context.close();

	// Bo sees the outcome.
	await boSide.page.reload();
	await expect(boSide.page.getByText('Did it help? Yes, it helped')).toBeVisible();
	await boSide.context.close();
});
