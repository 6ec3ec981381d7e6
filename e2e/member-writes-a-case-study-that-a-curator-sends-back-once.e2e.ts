import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';

// Mia, a member, writes a case study at /library/new. Without JavaScript, submitting it with
// parts missing says which, beside each field, and keeps what she typed. With everything in,
// she submits it for review. Cleo, a curator, reads it at /library/review and sends it back
// once, asking who the carers were: Mia is told in the site and by email, revises it and
// submits it again, and Cleo publishes it. A visitor finds it on /library by two filters (a
// service area and a stage, each a plain GET) and prints it: the handout has no menu, only
// the case study. Axe on every page.

const TITLE = 'Carers rewrite the respite booking form';

test('a member writes a case study that a curator sends back once, then publishes; a visitor finds it by filters and prints it', async ({
	browser,
	colab,
	mailbox,
	axe
}) => {
	test.setTimeout(180_000);
	const cleo = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Cleo Curator', role: 'curator' }
	);
	const mia = await createPerson({ colab, mailbox, browser }, { name: 'Mia Member' });

	// Without JavaScript: parts missing are named beside their fields; nothing typed is lost.
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await signIn(plain, mia, { next: '/library/new' });
	await expect(plain.getByRole('heading', { level: 1, name: 'Write a case study' })).toBeVisible();
	await plain.getByLabel('Title', { exact: true }).fill(TITLE);
	await plain.getByLabel('What you would do differently').fill('Start sooner.');
	await plain.getByRole('button', { name: 'Submit for review' }).click();
	await expect(plain.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(plain.locator('#summary-error')).toContainText('Write a short summary');
	await expect(plain.locator('#serviceAreas-error')).toContainText(
		'Choose at least one service area'
	);
	await expect(plain.locator('#stage-error')).toContainText('Choose where the work sits');
	await expect(plain.getByLabel('Title', { exact: true })).toHaveValue(TITLE);
	await expect(plain.getByLabel('What you would do differently')).toHaveValue('Start sooner.');
	// Too long is said, never cut.
	await plain.getByLabel('Short summary').fill('x'.repeat(601));
	await plain.getByRole('button', { name: 'Save draft' }).click();
	await expect(plain.locator('#summary-error')).toContainText('600 characters or fewer');
	await expect(plain.getByLabel('Short summary')).toHaveValue('x'.repeat(601));
	await noScript.close();

	// With everything in, Mia submits it.
	const memberContext = await browser.newContext({ baseURL: colab.url });
	const member = await memberContext.newPage();
	await signIn(member, mia, { next: '/library/new' });
	await member.waitForLoadState('networkidle');
	await axe(member);
	await member.getByLabel('Title', { exact: true }).fill(TITLE);
	await member
		.getByLabel('Short summary')
		.fill('Carers and the booking team rewrote the respite form together.');
	await member.getByRole('checkbox', { name: 'Carers and unpaid care' }).check();
	await member.getByRole('radio', { name: /^Co-designing/ }).check();
	await member.getByRole('radio', { name: /^Running/ }).check();
	await member.getByLabel('What was done').fill('Four evening workshops.\n\nA new form, tested.');
	await member.getByLabel('Who was involved and how').fill('Carers and the booking team.');
	await member.getByRole('checkbox', { name: 'A voice for people' }).check();
	await member.getByRole('checkbox', { name: 'Time', exact: true }).check();
	await member.getByLabel('How the barriers were handled').fill('Care cover was paid for.');
	await member.getByRole('button', { name: 'Submit for review' }).click();
	await expect(member).toHaveURL(/\/library\/carers-rewrite-the-respite-booking-form\/edit/);
	await expect(member.getByText('It is with the curators now')).toBeVisible();
	await axe(member);

	// Cleo sends it back once, with a message.
	const curatorContext = await browser.newContext({ baseURL: colab.url });
	const curator = await curatorContext.newPage();
	await signIn(curator, cleo, { next: '/library/review' });
	await expect(
		curator.getByRole('heading', { level: 1, name: 'Case studies to review' })
	).toBeVisible();
	await axe(curator);
	await curator.getByRole('link', { name: TITLE }).click();
	await expect(curator.getByRole('heading', { level: 1, name: `Review “${TITLE}”` })).toBeVisible();
	await curator.waitForLoadState('networkidle');
	await axe(curator);
	await curator.getByRole('button', { name: 'Send it back' }).click();
	await expect(curator.locator('#message-error')).toContainText('Say what to change');
	await curator
		.getByLabel('Or send it back: what should the author change?')
		.fill('Please say how many carers took part, and what their roles were.');
	await curator.getByRole('button', { name: 'Send it back' }).click();
	await expect(curator.getByText('It is sent back.')).toBeVisible();

	// Mia is told by email and in the site, and revises it.
	const mail = await mailbox.waitFor(mia.email, /needs some changes/);
	expect(mail.text).toContain('how many carers took part');
	await member.goto('/notifications');
	await expect(member.getByText(/asks for changes to your case study/)).toBeVisible();
	await member.goto('/library/mine');
	await expect(member.getByRole('listitem').filter({ hasText: TITLE })).toContainText(
		'Sent back to you'
	);
	await axe(member);
	await member.getByRole('link', { name: TITLE }).click();
	await expect(member.getByRole('heading', { name: 'A curator asks for changes' })).toBeVisible();
	await member.waitForLoadState('networkidle');
	await axe(member);
	await member
		.getByLabel('Who was involved and how')
		.fill('Eight carers from the carers’ group, two of the booking team and their manager.');
	await member.getByRole('button', { name: 'Submit for review' }).click();
	await expect(member.getByText('It is with the curators now')).toBeVisible();

	// Cleo publishes it.
	await curator.goto('/library/review');
	await curator.getByRole('link', { name: TITLE }).click();
	await expect(curator.getByText('Eight carers from the carers’ group')).toBeVisible();
	await curator.getByRole('button', { name: 'Publish it' }).click();
	await expect(curator.getByText('It is published')).toBeVisible();
	await axe(curator);

	// A visitor finds it by two filters and prints it.
	const visitorContext = await browser.newContext({ baseURL: colab.url });
	const visitor = await visitorContext.newPage();
	await visitor.goto('/library');
	await expect(visitor.getByRole('heading', { level: 1, name: 'Case studies' })).toBeVisible();
	await axe(visitor);
	await visitor.getByLabel('Service area').selectOption({ label: 'Carers and unpaid care' });
	await visitor.getByLabel('Continuum stage').selectOption({ label: 'Co-designing' });
	await visitor.getByRole('button', { name: 'Show case studies' }).click();
	await expect(visitor).toHaveURL(/area=carers-and-unpaid-care/);
	await expect(visitor).toHaveURL(/stage=co-designing/);
	await axe(visitor);
	// Another stage does not list it.
	await visitor.goto('/library?area=carers-and-unpaid-care&stage=informing');
	await expect(visitor.getByRole('link', { name: TITLE })).toHaveCount(0);
	await visitor.goBack();
	await visitor.getByRole('link', { name: TITLE }).click();
	await expect(visitor.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	await expect(visitor.getByText('Eight carers from the carers’ group')).toBeVisible();
	await axe(visitor);

	await visitor.emulateMedia({ media: 'print' });
	await expect(visitor.getByRole('navigation', { name: 'Main' })).toBeHidden();
	await expect(visitor.locator('.site-footer')).toBeHidden();
	await expect(visitor.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	await expect(visitor.getByRole('heading', { name: 'What was done' })).toBeVisible();
	await expect(visitor.getByRole('heading', { name: 'Barriers met' })).toBeVisible();
	await expect(visitor.getByText('Care cover was paid for.')).toBeVisible();

	await visitorContext.close();
	await curatorContext.close();
	await memberContext.close();
});
