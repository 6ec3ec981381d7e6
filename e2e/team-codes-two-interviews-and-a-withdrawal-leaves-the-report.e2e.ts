import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { createPerson, signIn } from './support/people';
import { insertTestEnquiry, insertTestMember } from '../src/lib/server/enquiries/enquiries.testing';

/** What a keyboard user is on: the focused element's tag, name, type and label or text. */
interface Focused {
	tag: string;
	name: string | null;
	type: string | null;
	label: string;
}

/** Presses Tab until the focused element is the one wanted, as a keyboard user would. */
async function tabUntil(page: Page, isIt: (el: Focused) => boolean, what: string): Promise<void> {
	for (let i = 0; i < 150; i++) {
		await page.keyboard.press('Tab');
		const focused = await page.evaluate((): Focused => {
			const el = document.activeElement;
			const labels =
				el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.labels : null;
			return {
				tag: el?.tagName ?? '',
				name: el?.getAttribute('name') ?? null,
				type: el?.getAttribute('type') ?? null,
				label: (labels?.[0]?.textContent ?? el?.textContent ?? '').trim()
			};
		});
		if (isIt(focused)) return;
	}
	throw new Error(`Tab never reached ${what}`);
}

/** The focused element shows where it is: an outline or a box shadow. */
async function focusIsVisible(page: Page): Promise<boolean> {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el) return false;
		const style = getComputedStyle(el);
		const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
		return outline || (style.boxShadow !== '' && style.boxShadow !== 'none');
	});
}

// Lena leads an enquiry and Jo interviews for it. Jo records Priya (a carer, quotable by name)
// and Participant 2 (council staff, quotable by perspective only), types up one interview and
// uploads the other as WebVTT captions. Jo codes the first by selecting words with the mouse and
// the second by keyboard alone. Lena writes a section quoting both; then Participant 2 withdraws,
// and their words leave the draft report, the interview list, the code's excerpts and the
// codes-by-perspective view at once. Every page passes axe.
test('a team codes two interviews, one by keyboard, and a withdrawal leaves the report', async ({
	browser,
	colab,
	mailbox
}) => {
	test.setTimeout(600_000);
	const lena = await createPerson({ colab, mailbox, browser }, { name: 'Lena Lead' });
	const jo = await createPerson({ colab, mailbox, browser }, { name: 'Jo Interviewer' });

	const database = openServerDatabase(colab);
	const enquiryId = await (async () => {
		try {
			const db = database.db;
			const idOf = async (email: string) =>
				(
					await db
						.selectFrom('app_user')
						.select('id')
						.where('email', '=', email.toLowerCase())
						.executeTakeFirstOrThrow()
				).id;
			const enquiryId = await insertTestEnquiry(db, await idOf(lena.email), {
				stage: 'gathering'
			});
			await insertTestMember(db, enquiryId, await idOf(jo.email), 'interviewer');
			return enquiryId;
		} finally {
			await database.close();
		}
	})();
	const enquiry = `/enquiries/${enquiryId}`;

	const joContext = await browser.newContext({ baseURL: colab.url });
	const joPage = await joContext.newPage();
	await signIn(joPage, jo, { next: `${enquiry}/participants/new`, axe: expectAccessible });

	// Jo records the two participants and their consent.
	const participantIds: string[] = [];
	for (const [label, perspective, quote] of [
		['Priya', 'Carer', /^By name and perspective/],
		['Participant 2', 'Council staff', /^By perspective only/]
	] as const) {
		await joPage.goto(`${enquiry}/participants/new`);
		await expect(joPage.getByRole('heading', { level: 1 })).toHaveText('Record a participant');
		if (!participantIds.length) await expectAccessible(joPage);
		await joPage.getByRole('textbox', { name: 'Label' }).fill(label);
		await joPage.getByRole('radio', { name: perspective, exact: true }).check();
		await joPage.getByLabel('They heard this and agreed to take part').check();
		await joPage.getByRole('radio', { name: quote }).check();
		await joPage.getByRole('button', { name: 'Record the participant' }).click();
		await expect(joPage.getByText('The participant and their consent are recorded.')).toBeVisible();
		await expect(joPage.getByRole('heading', { level: 1 })).toHaveText(label);
		if (!participantIds.length) await expectAccessible(joPage);
		participantIds.push(new URL(joPage.url()).pathname.split('/').at(-1)!);
	}

	// Interview 1 is typed up; interview 2 is uploaded as WebVTT captions.
	await joPage.goto(`${enquiry}/interviews/new`);
	await expect(joPage.getByRole('heading', { level: 1 })).toHaveText('Record an interview');
	await expectAccessible(joPage);
	await joPage.getByLabel('Who was interviewed').selectOption({ label: 'Priya (Carer)' });
	await joPage.getByLabel('Title', { exact: true }).fill('Interview with Priya');
	await joPage.getByRole('radio', { name: /^Transcript/ }).check();
	await joPage
		.getByLabel('The notes or transcript')
		.fill('We were asked from the start. It felt like ours.');
	await joPage.getByRole('button', { name: 'Record the interview' }).click();
	await expect(joPage.getByText('The interview is recorded.')).toBeVisible();
	await expectAccessible(joPage);
	const interview1 = new URL(joPage.url()).pathname;

	await joPage.goto(`${enquiry}/interviews/new`);
	await joPage
		.getByLabel('Who was interviewed')
		.selectOption({ label: 'Participant 2 (Council staff)' });
	await joPage.getByLabel('Title', { exact: true }).fill('Interview with Participant 2');
	await joPage.getByRole('radio', { name: /^Transcript/ }).check();
	await joPage.getByLabel('Or choose a file').setInputFiles({
		name: 'participant-2.vtt',
		mimeType: 'text/vtt',
		buffer: Buffer.from(
			'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nThe forms kept changing.\n\n' +
				'2\n00:00:04.000 --> 00:00:08.000\nNobody told us why.\n\n' +
				'3\n00:00:08.000 --> 00:00:12.000\nIn the end we gave up.\n'
		)
	});
	await joPage.getByRole('button', { name: 'Record the interview' }).click();
	await expect(joPage.getByText('The interview is recorded.')).toBeVisible();
	await expect(
		joPage.getByText('The forms kept changing. Nobody told us why. In the end we gave up.')
	).toBeVisible();
	const interview2 = new URL(joPage.url()).pathname;

	// Jo seeds the codebook with the benefit and barrier themes.
	await joPage.goto(`${enquiry}/codes`);
	await expect(joPage.getByText('There are no codes yet.')).toBeVisible();
	await expectAccessible(joPage);
	await joPage.getByRole('link', { name: 'Start from the benefit and barrier themes' }).click();
	await expect(joPage.getByRole('heading', { level: 1 })).toHaveText(
		'Start from the shared themes'
	);
	await expectAccessible(joPage);
	await joPage.getByRole('button', { name: /^Add these \d+ codes$/ }).click();
	await expect(joPage.getByText('The benefit and barrier themes were added.')).toBeVisible();
	await expectAccessible(joPage);

	// Interview 1, the mouse way: select a sentence of the transcript, tick a code.
	await joPage.goto(`${interview1}/code`);
	await joPage.waitForLoadState('networkidle');
	await expectAccessible(joPage);
	await joPage.evaluate(() => {
		const text = 'We were asked from the start.';
		const host = [...document.querySelectorAll('#transcript [data-start]')].find((el) =>
			el.textContent?.includes(text)
		);
		const node = host?.firstChild;
		if (!node) throw new Error('The sentence is not in the transcript');
		const at = node.textContent!.indexOf(text);
		const range = document.createRange();
		range.setStart(node, at);
		range.setEnd(node, at + text.length);
		const selection = window.getSelection()!;
		selection.removeAllRanges();
		selection.addRange(range);
		document.dispatchEvent(new Event('selectionchange'));
	});
	await expect(joPage.getByText('You selected: “We were asked from the start.”')).toBeVisible();
	await joPage.getByRole('checkbox', { name: 'a voice for people', exact: true }).check();
	await joPage.getByRole('button', { name: 'Code the passage' }).click();
	await expect(joPage.getByText('The passage was coded.')).toBeVisible();
	await expect(joPage.getByRole('heading', { name: 'Coded passages (1)' })).toBeVisible();
	await expect(joPage.locator('.excerpt-list blockquote')).toHaveText(
		'We were asked from the start.'
	);
	await expectAccessible(joPage);

	// Interview 2 by keyboard alone: first and last sentence from the lists, a code, submit.
	await joPage.goto(`${interview2}/code`);
	await joPage.waitForLoadState('networkidle');
	await tabUntil(joPage, (el) => el.name === 'from', 'the first sentence');
	expect(await focusIsVisible(joPage)).toBe(true);
	await expect(joPage.getByLabel('First sentence')).toHaveValue('1');
	await tabUntil(joPage, (el) => el.name === 'to', 'the last sentence');
	await joPage.keyboard.press('ArrowDown');
	await joPage.keyboard.press('ArrowDown');
	await expect(joPage.getByLabel('Last sentence')).toHaveValue('3');
	await tabUntil(
		joPage,
		(el) => el.type === 'checkbox' && el.label === 'a voice for people',
		'the code'
	);
	expect(await focusIsVisible(joPage)).toBe(true);
	await joPage.keyboard.press('Space');
	await expect(
		joPage.getByRole('checkbox', { name: 'a voice for people', exact: true })
	).toBeChecked();
	await tabUntil(
		joPage,
		(el) => el.tag === 'BUTTON' && el.label === 'Code the passage',
		'the submit button'
	);
	await joPage.keyboard.press('Enter');
	await expect(joPage.getByText('The passage was coded.')).toBeVisible();
	await expect(joPage.locator('.excerpt-list blockquote')).toHaveText(
		'The forms kept changing. Nobody told us why. In the end we gave up.'
	);
	await joPage.locator('.excerpt-list').getByRole('link', { name: 'a voice for people' }).click();
	await expect(joPage.getByRole('heading', { level: 1 })).toHaveText('a voice for people');
	await expect(joPage.getByRole('heading', { name: 'Excerpts (2)' })).toBeVisible();
	await expectAccessible(joPage);
	const codePath = new URL(joPage.url()).pathname;

	await joPage.goto(`${enquiry}/views/perspectives`);
	const row = joPage.getByRole('row', { name: /a voice for people/ });
	await expect(row.getByRole('cell')).toHaveText([/1\s*\(1\s*person\)/, /1\s*\(1\s*person\)/]);
	await expect(joPage.getByRole('columnheader', { name: 'Council staff' })).toBeVisible();
	await expectAccessible(joPage);
	await joContext.close();

	// Lena writes a section and quotes both participants.
	const context = await browser.newContext({ baseURL: colab.url });
	const page = await context.newPage();
	await signIn(page, lena, { next: `${enquiry}/report/sections/new` });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add a section to the report');
	await expectAccessible(page);
	await page.getByLabel('Heading').fill('Being heard');
	await page.getByLabel('What you found').fill('People want to be **asked early**.');
	await page.getByLabel('Theme (optional)').selectOption('a voice for people');
	await page.getByRole('button', { name: 'Add the section' }).click();
	await expect(page.getByText('The section is added.')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Add quotes from coded excerpts' }).click();
	await expect(page.getByText('2 excerpts.')).toBeVisible();
	await expect(page.locator('cite', { hasText: 'Priya, a carer' })).toHaveCount(1);
	await expect(page.locator('cite', { hasText: 'a member of council staff' })).toHaveCount(1);
	await expectAccessible(page);
	for (const words of ['We were asked', 'The forms kept changing']) {
		await page.getByRole('button', { name: new RegExp(`^Add this quote\\s*: ${words}`) }).click();
		await expect(page.getByText('The quote is added.')).toBeVisible();
	}
	await expect(page.getByText('Already in this section.')).toHaveCount(2);

	const report = `${enquiry}/report`;
	await page.goto(report);
	await expect(page.getByText('We were asked from the start.')).toBeVisible();
	await expect(page.getByText('The forms kept changing.', { exact: false })).toBeVisible();
	await expect(page.locator('cite', { hasText: 'Priya, a carer' })).toHaveCount(1);
	await expect(page.locator('cite', { hasText: 'a member of council staff' })).toHaveCount(1);
	await expectAccessible(page);

	// Participant 2 withdraws: Lena records it and confirms.
	await page.goto(`${enquiry}/participants/${participantIds[1]}`);
	await page.getByRole('link', { name: 'Record a withdrawal' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Withdraw Participant 2 from the enquiry?'
	);
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Withdraw Participant 2 and delete their words' }).click();
	await expect(page).toHaveURL(/\/participants\?notice=withdrawn/);
	await expectAccessible(page);

	// Their words leave the draft report, the interviews, the code and the perspective counts.
	await page.goto(report);
	await expect(page.getByText('We were asked from the start.')).toBeVisible();
	await expect(page.locator('cite')).toHaveText(['Priya, a carer']);
	await expect(page.getByText('The forms kept changing')).toHaveCount(0);
	await expect(page.getByText('Nobody told us why')).toHaveCount(0);
	await expect(page.getByText('a member of council staff')).toHaveCount(0);

	await page.goto(`${enquiry}/interviews`);
	await expect(page.getByRole('heading', { name: '1 interview', exact: true })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Interview with Priya' })).toBeVisible();
	await expect(page.getByText('Interview with Participant 2')).toHaveCount(0);
	await expectAccessible(page);
	expect((await page.goto(interview2))?.status()).toBe(404);
	await expectAccessible(page);

	await page.goto(codePath);
	await expect(page.getByRole('heading', { name: 'Excerpts (1)' })).toBeVisible();
	await expect(page.getByText('The forms kept changing')).toHaveCount(0);

	await page.goto(`${enquiry}/views/perspectives`);
	await expect(page.getByRole('columnheader', { name: 'Council staff' })).toHaveCount(0);
	await expect(page.getByRole('row', { name: /a voice for people/ }).getByRole('cell')).toHaveText([
		/1\s*\(1\s*person\)/
	]);
	await context.close();
});
