import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn } from './support/people';

// Anyone can take the co-production check on their own, as a learning tool: they answer what
// they can ("Don't know" does not count), see their own profile with ideas for the weakest
// areas, and nothing is kept. A signed-in member may choose to save it.
test('a visitor takes the check alone, and a member saves theirs', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const database = openServerDatabase(colab);
	const checksBefore = await database.db
		.selectFrom('self_check')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();

	await page.goto('/');
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Co-production check' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Co-production check' })).toBeVisible();
	await axe(page);
	await page.getByRole('link', { name: 'Start the check' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Take the check on your own' })
	).toBeVisible();
	await page.waitForLoadState('networkidle');
	await axe(page);

	// Nothing answered: a clear message.
	await page.getByRole('button', { name: 'See my profile' }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Answer at least one statement' })
	).toBeVisible();

	// The first area: Always, Always, Often, Don't know. The second: Never, Rarely (two left out).
	const area = (name: string) => page.getByRole('group', { name });
	await area('People who use the service help decide what the work is for.')
		.getByRole('radio', { name: 'Always' })
		.check();
	await area('People who use the service take part in the work itself, not only in consultations.')
		.getByRole('radio', { name: 'Always' })
		.check();
	await area('Ideas from people who use the service change what we do.')
		.getByRole('radio', { name: 'Often' })
		.check();
	await area(
		'People who use the service can take part in ways that suit them (time, place, format).'
	)
		.getByRole('radio', { name: 'Don’t know' })
		.check();
	await area('The people who use the service were involved before decisions were made.')
		.getByRole('radio', { name: 'Never' })
		.check();
	await area('Frontline staff, managers and partners were all involved from the start.')
		.getByRole('radio', { name: 'Rarely' })
		.check();
	await page.getByRole('radio', { name: 'Consulting' }).check();
	await page.getByRole('button', { name: 'See my profile' }).click();

	const profile = page.getByRole('region', { name: 'Your profile' });
	await expect(profile).toBeVisible();
	// (4 + 4 + 3) ÷ 3 × 25 = 91.67 → 92; (0 + 1) ÷ 2 × 25 = 12.5 → 13; overall (91.67 + 12.5) ÷ 2 = 52.08.
	await expect(
		profile.getByRole('row', { name: /People who use the service are closely involved 92/ })
	).toBeVisible();
	await expect(
		profile.getByRole('row', { name: /The right people are involved from the start 13/ })
	).toBeVisible();
	await expect(profile.getByText('Overall: Early steps (52 out of 100).')).toBeVisible();
	await expect(profile.getByText('You answered 6 of 31 statements.')).toBeVisible();
	await expect(profile.getByText('Nothing you answered has been kept.')).toBeVisible();
	// What they chose stays chosen.
	await expect(
		area('Ideas from people who use the service change what we do.').getByRole('radio', {
			name: 'Often'
		})
	).toBeChecked();
	await axe(page);

	const checksAfterVisitor = await database.db
		.selectFrom('self_check')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	expect(Number(checksAfterVisitor.n)).toBe(Number(checksBefore.n));

	// A member takes it and saves it.
	const sam = await createPerson({ colab, mailbox, browser }, { name: 'Sam Taylor' });
	const member = await browser.newContext({ baseURL: colab.url });
	const mp = await member.newPage();
	await signIn(mp, sam, { next: '/assessments/check' });
	await mp.waitForLoadState('networkidle');
	await mp
		.getByRole('group', { name: 'Everyone understands how a decision was reached.' })
		.getByRole('radio', { name: 'Sometimes' })
		.check();
	await mp.getByRole('button', { name: 'See my profile' }).click();
	await mp.getByLabel('What was it about? (optional)').fill('Riverside day centre');
	await mp.getByRole('button', { name: 'Save to my account' }).click();
	await expect(mp.getByText('The check is saved to your account.')).toBeVisible();
	await axe(mp);
	await mp.getByRole('link', { name: 'See your saved checks' }).click();
	// Each saved check is a link to what it found.
	await expect(mp.getByText(/Riverside day centre, saved on \d+ \w+ \d{4}/)).toBeVisible();
	await mp.getByRole('link', { name: 'Riverside day centre', exact: true }).click();
	await expect(mp.getByRole('heading', { level: 1, name: 'Riverside day centre' })).toBeVisible();
	await expect(mp.getByText(/You answered 1 of \d+ statements/)).toBeVisible();
	await axe(mp);
	await member.close();
	await database.close();
});
