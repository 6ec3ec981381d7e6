import { test, expect } from './fixtures';
import { Mailbox } from './support/mailbox';
import { createPerson, signIn } from './support/people';

// Amina starts an enquiry and invites Jo as an interviewer by email. Jo accepts, records a
// participant who agreed to take part (with JavaScript off), and types up the interview. Someone
// off the team cannot read it by its address.
test('a lead creates an enquiry and invites an interviewer, who records a participant and an interview', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	// Many pages, each checked at two widths, on a busy machine.
	test.setTimeout(300_000);
	const amina = await createPerson({ colab, mailbox, browser }, { name: 'Amina Lead' });
	const jo = await createPerson({ colab, mailbox, browser }, { name: 'Jo Interviewer' });
	const nosy = await createPerson({ colab, mailbox, browser }, { name: 'Nosy Parker' });
	const title = `What does co-production mean here? ${Date.now()}`;

	await signIn(page, amina, { axe });
	await page.goto('/together');
	await page.getByRole('link', { name: 'Enquiries', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Enquiries' })).toBeVisible();
	await axe(page);
	await page.getByRole('link', { name: 'Start an enquiry' }).click();
	await axe(page);

	// Mistakes are explained, and what was typed stays.
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Start the enquiry' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(page.getByLabel('Title')).toHaveValue(title);
	await axe(page);
	await page
		.getByLabel('Questions')
		.fill('What does co-production mean to you?\nWhat gets in the way?');
	await page.getByLabel('Purpose').fill('To hear what people across the borough mean by it.');
	await page.getByLabel('Method').fill('Paired interviews of about 40 minutes.');
	await page
		.getByLabel('What people agree to')
		.fill('You can stop at any time, and withdraw what you said later.');
	await page.getByRole('button', { name: 'Start the enquiry' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByText('Your enquiry has started.')).toBeVisible();
	await axe(page);
	const enquiryPath = new URL(page.url()).pathname;

	// Invite Jo as an interviewer.
	await page.getByRole('link', { name: 'Team and settings' }).click();
	await axe(page);
	await page.getByLabel('Their email address').fill(jo.email);
	await page.getByRole('radio', { name: /^Interviewer/ }).check();
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByText('Invitation sent.')).toBeVisible();
	await axe(page);
	const mail = await mailbox.waitFor(jo.email, /enquiry team/);
	const link = Mailbox.link(mail, /\/enquiries\/invitations\//);

	// Jo opens the link signed out, signs in, comes back and joins.
	const joContext = await browser.newContext({ baseURL: colab.url });
	const joPage = await joContext.newPage();
	await joPage.goto(link);
	await expect(
		joPage.getByRole('heading', { level: 1, name: 'Join an enquiry team' })
	).toBeVisible();
	await axe(joPage);
	await joPage.getByRole('link', { name: 'Sign in to accept' }).click();
	await expect(joPage).toHaveURL(/\/sign-in\?next=%2Fenquiries%2Finvitations%2F/);
	await signIn(joPage, jo);
	await expect(joPage).toHaveURL(link);
	await joPage.getByRole('button', { name: 'Join the team' }).click();
	await expect(joPage.getByText('You have joined the enquiry’s team.')).toBeVisible();
	await axe(joPage);

	// Jo records a participant with JavaScript off (axe needs scripts, so these two pages are checked
	// in the axe sweep instead).
	const noScript = await browser.newContext({ baseURL: colab.url, javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await signIn(plain, jo);
	await plain.goto(`${enquiryPath}/participants/new`);
	await expect(plain.getByText('You can stop at any time')).toBeVisible();
	await plain.getByRole('textbox', { name: 'Label' }).fill('Participant 1');
	await plain.getByRole('button', { name: 'Record the participant' }).click();
	await expect(plain.getByRole('alert').filter({ hasText: 'There is a problem' })).toBeVisible();
	await expect(plain.getByRole('textbox', { name: 'Label' })).toHaveValue('Participant 1');
	await plain.getByRole('radio', { name: 'Carer', exact: true }).check();
	await plain.getByLabel('They heard this and agreed to take part').check();
	await plain.getByRole('radio', { name: /^By perspective only/ }).check();
	await plain.getByRole('button', { name: 'Record the participant' }).click();
	await expect(plain.getByText('The participant and their consent are recorded.')).toBeVisible();
	await noScript.close();

	// Jo types up the interview.
	await joPage.goto(`${enquiryPath}/interviews`);
	await axe(joPage);
	await joPage.getByRole('link', { name: 'Record an interview' }).click();
	await joPage.getByLabel('Who was interviewed').selectOption({ label: 'Participant 1 (Carer)' });
	await joPage.getByLabel('Title', { exact: true }).fill('Interview with Participant 1');
	await joPage
		.getByLabel('The notes or transcript')
		.fill('We need each other.\n\nIt takes time to build trust.');
	await axe(joPage);
	await joPage.getByRole('button', { name: 'Record the interview' }).click();
	await expect(joPage.getByText('The interview is recorded.')).toBeVisible();
	await expect(joPage.getByText('It takes time to build trust.')).toBeVisible();
	await expect(joPage.getByRole('link', { name: 'Code this interview' })).toBeVisible();
	await axe(joPage);
	const interviewUrl = joPage.url();

	// Someone off the team is refused the transcript.
	const nosyContext = await browser.newContext({ baseURL: colab.url });
	const nosyPage = await nosyContext.newPage();
	await signIn(nosyPage, nosy);
	const response = await nosyPage.goto(interviewUrl);
	expect(response?.status()).toBe(403);
	await expect(nosyPage.getByText('It takes time to build trust.')).toHaveCount(0);
	await nosyContext.close();
	await joContext.close();
});
