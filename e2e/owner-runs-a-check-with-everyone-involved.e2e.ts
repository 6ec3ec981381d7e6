import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn, uniqueEmail } from './support/people';

// Priya manages a day service. She starts a co-production check, shares its link and emails
// invitations. Three people answer from three perspectives: Sam uses the service and has no
// account (he saves halfway and finishes later from his private link), Lee works on the front
// line and answers signed in from his invitation, and Ruth, a carer, answers her invitation
// without an account, once. Priya sees how many have answered (never who), but no figures
// until she closes the round; then the results show, and nobody can answer it any more.

const FIRST = [
	'People who use the service help decide what the work is for.',
	'People who use the service take part in the work itself, not only in consultations.',
	'Ideas from people who use the service change what we do.'
];

/** Rates the first statements of the first area. */
async function rate(page: Page, ratings: string[]) {
	for (const [i, rating] of ratings.entries())
		await page.getByRole('group', { name: FIRST[i] }).getByRole('radio', { name: rating }).check();
}

function inAMonth(): string {
	return new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

test('an owner starts a check, invites people, and three perspectives answer', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(150_000);
	const priya = await createPerson({ colab, mailbox, browser }, { name: 'Priya Shah' });
	const lee = await createPerson({ colab, mailbox, browser }, { name: 'Lee Okafor' });
	const ruth = uniqueEmail('ruth');
	const title = `Riverside day service ${Date.now()}`;

	await signIn(page, priya);
	await page.goto('/assessments');
	await page.getByRole('link', { name: 'Start a check with others' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Start a co-production check' })
	).toBeVisible();
	await page.waitForLoadState('networkidle');
	await axe(page);

	// A mistake first: no name, so the form comes back with what was typed.
	await page.getByLabel('What is it? (optional)').fill('Our weekday drop-in and activities.');
	await page.getByLabel('Last day for answers').fill(inAMonth());
	await page.getByRole('button', { name: 'Start the check' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(page.getByLabel('Name of the service or project')).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expect(page.getByLabel('What is it? (optional)')).toHaveValue(
		'Our weekday drop-in and activities.'
	);

	await page.getByLabel('Name of the service or project').fill(title);
	await page
		.getByRole('checkbox', {
			name: 'People without an account can answer through the shareable link'
		})
		.check();
	await page.getByRole('radio', { name: 'The owners and everyone who answered' }).check();
	await page.getByRole('button', { name: 'Start the check' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByText('The check has started.')).toBeVisible();
	await axe(page);
	const manageUrl = page.url().split('?')[0]!;
	const shareLink = await page.getByLabel('Link to answer').inputValue();
	expect(shareLink).toMatch(/\/assessments\/answer\//);

	// Lee is asked to be a co-owner: nothing changes until he accepts.
	await page.getByLabel('Invite a co-owner').fill(lee.email);
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByText('We have emailed an invitation to that address.')).toBeVisible();

	// Invitations: one wrong address is named, and nothing is sent until it is right.
	await page.getByLabel('Email addresses').fill(`${lee.email}\nruth-at-example`);
	await page.getByRole('button', { name: 'Send invitations' }).click();
	await expect(page.getByLabel('Email addresses')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#emails-error')).toContainText(
		'ruth-at-example is not an email address'
	);
	await page.getByLabel('Email addresses').fill(`${lee.email}, ${ruth}`);
	await page.getByRole('button', { name: 'Send invitations' }).click();
	// No counts of who was left out: that would say who had answered.
	await expect(page.getByText('Invitations sent. Anyone on your list')).toBeVisible();

	// Sam, who uses the service, answers through the shared link without an account, with no
	// JavaScript. He saves halfway.
	const samContext = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const sam = await samContext.newPage();
	await sam.goto(shareLink);
	await expect(sam.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await sam.getByRole('button', { name: 'Start answering' }).click();
	await expect(sam.getByText('Choose the perspective you answer from')).toHaveCount(2);
	await sam.getByRole('radio', { name: 'I use the service (or have used it)' }).check();
	await sam.getByRole('button', { name: 'Start answering' }).click();
	await expect(sam.getByRole('heading', { name: 'Your private link' })).toBeVisible();
	await expect(sam.getByText('Nothing is sent until you press “Send my answers”')).toBeVisible();
	const samLink = await sam.getByLabel('Link back to your answers').inputValue();
	await rate(sam, ['Never', 'Rarely']);
	const samComment = sam.getByLabel(
		/Anything to add about “People who use the service are closely involved/
	);
	// A comment over the limit is never cut: the hint says the limit, and saving says what is
	// wrong with the whole comment still there to shorten.
	await expect(samComment).not.toHaveAttribute('maxlength');
	await expect(sam.getByText('Up to 1,000 characters.').first()).toBeVisible();
	const longComment = 'Nobody asked us before the timetable changed. '.repeat(23);
	expect(longComment.trim().length).toBeGreaterThan(1000);
	await samComment.fill(longComment);
	await sam.getByRole('button', { name: 'Save and finish later' }).click();
	await expect(sam.getByRole('alert')).toContainText('Comments must be 1,000 characters or fewer');
	await expect(samComment).toHaveValue(longComment);
	await samComment.fill('Nobody asked us before the timetable changed.');
	await sam.getByRole('button', { name: 'Save and finish later' }).click();
	await expect(sam.getByText('Your answers so far are saved.')).toBeVisible();
	await samContext.close();

	// Later, on another device: the private link brings his answers back.
	const laterContext = await browser.newContext({ baseURL: colab.url });
	const later = await laterContext.newPage();
	await later.goto(samLink);
	await later.waitForLoadState('networkidle');
	await expect(later.getByText('You have answered 2 of')).toBeVisible();
	await expect(
		later.getByRole('group', { name: FIRST[0] }).getByRole('radio', { name: 'Never' })
	).toBeChecked();
	await expect(
		later.getByLabel(/Anything to add about “People who use the service are closely involved/)
	).toHaveValue('Nobody asked us before the timetable changed.');
	await axe(later);
	await later.getByRole('group', { name: FIRST[2] }).getByRole('radio', { name: 'Rarely' }).check();
	await later.getByRole('radio', { name: 'Consulting' }).check();
	await later.getByRole('button', { name: 'Send my answers' }).click();
	await expect(later.getByText('Your answers are sent.').first()).toBeVisible();
	await expect(later.getByRole('button', { name: 'Send my answers' })).toHaveCount(0);
	await laterContext.close();

	// Lee, frontline staff, answers his invitation signed in.
	const leeMail = await mailbox.waitFor(lee.email, /^Your view of/);
	const leeLink = Mailbox.link(leeMail, /\/assessments\/answer\/invitation\//);
	const leeContext = await browser.newContext({ baseURL: colab.url });
	const leePage = await leeContext.newPage();
	await signIn(leePage, lee, { next: new URL(leeLink).pathname });
	await expect(leePage.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await leePage.waitForLoadState('networkidle');
	await axe(leePage);
	await leePage.getByRole('radio', { name: 'I work on the front line' }).check();
	await leePage.getByRole('button', { name: 'Start answering' }).click();
	await expect(leePage.getByText('You are answering as:')).toBeVisible();
	// Nothing answered yet: sending is refused, with a clear message.
	await leePage.getByRole('button', { name: 'Send my answers' }).click();
	await expect(
		leePage.getByRole('alert').filter({ hasText: 'Answer at least one statement' })
	).toBeVisible();
	await rate(leePage, ['Always', 'Often', 'Always']);
	await leePage.getByRole('button', { name: 'Send my answers' }).click();
	await expect(leePage.getByText('Your answers are sent.').first()).toBeVisible();
	await expect(leePage.getByRole('link', { name: 'See the results' })).toBeVisible();
	// His way back in says he has answered.
	await leePage.goto(shareLink);
	await expect(
		leePage.getByText('You have already sent your answers to this round.')
	).toBeVisible();
	await leeContext.close();

	// Ruth, a carer, answers her invitation without an account; it works once.
	const ruthMail = await mailbox.waitFor(ruth, /^Your view of/);
	const ruthLink = Mailbox.link(ruthMail, /\/assessments\/answer\/invitation\//);
	const ruthContext = await browser.newContext({ baseURL: colab.url });
	const ruthPage = await ruthContext.newPage();
	await ruthPage.goto(ruthLink);
	await ruthPage.waitForLoadState('networkidle');
	await ruthPage.getByRole('radio', { name: 'I care for someone who uses it' }).check();
	await ruthPage.getByRole('button', { name: 'Start answering' }).click();
	await rate(ruthPage, ['Sometimes', 'Don’t know', 'Rarely']);
	await ruthPage.getByRole('button', { name: 'Send my answers' }).click();
	await expect(ruthPage.getByText('Your answers are sent.').first()).toBeVisible();
	await ruthPage.goto(ruthLink);
	await expect(ruthPage.getByText('This invitation has already been used')).toBeVisible();
	await ruthContext.close();

	// Priya sees how many answered, never who; then closes the round.
	await page.goto(manageUrl);
	await expect(page.getByText('3 people have sent answers.')).toBeVisible();
	await expect(page.getByText('2 addresses invited so far.')).toBeVisible();
	// While the round is open its figures are held back, or each new answer could be read
	// off the change.
	await page.getByRole('link', { name: 'See the results' }).click();
	await expect(page.getByText('Results appear when this round closes.')).toBeVisible();
	await expect(page.getByText('3 people have sent their answers to this round.')).toBeVisible();
	await page.goto(manageUrl);
	await page.getByRole('button', { name: 'Close round 1 now' }).click();
	await expect(page.getByText('The round is closed.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Open round 2' })).toBeVisible();
	await axe(page);
	await page.getByRole('link', { name: 'See the results' }).click();
	await expect(page.getByText('Overall score:')).toBeVisible();
	await expect(page.getByText('Results appear when this round closes.')).toHaveCount(0);
	await page.goto(manageUrl);

	const lateContext = await browser.newContext({ baseURL: colab.url });
	const late = await lateContext.newPage();
	await late.goto(shareLink);
	await expect(late.getByText('it no longer takes answers')).toBeVisible();
	await lateContext.close();

	// Lee accepts the invitation to be a co-owner, signed in with the address it went to.
	const ownerMail = await mailbox.waitFor(lee.email, /^Run “/);
	const ownerLink = Mailbox.link(ownerMail, /\/assessments\/owners\//);
	const leeAgain = await browser.newContext({ baseURL: colab.url });
	const leeOwner = await leeAgain.newPage();
	await signIn(leeOwner, lee, { next: new URL(ownerLink).pathname });
	await expect(
		leeOwner.getByRole('heading', { level: 1, name: `Run “${title}” as a co-owner` })
	).toBeVisible();
	await leeOwner.waitForLoadState('networkidle');
	await axe(leeOwner);
	await leeOwner.getByRole('button', { name: 'Accept: become a co-owner' }).click();
	await expect(leeOwner.getByText('You are now a co-owner of this check.')).toBeVisible();
	await expect(
		leeOwner.getByRole('listitem').filter({ hasText: 'Lee Okafor (you)' })
	).toBeVisible();
	// And he can step down again.
	await leeOwner.getByRole('button', { name: 'Stop being an owner' }).click();
	await expect(leeOwner.getByText('You are no longer an owner of that check.')).toBeVisible();
	await leeAgain.close();
});
