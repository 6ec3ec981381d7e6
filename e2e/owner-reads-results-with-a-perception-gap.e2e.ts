import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { startColab, type RunningServer } from './support/server';

// Jo, a commissioner, owns the demo's check of the Riverside day centre with Priya, a carer.
// Two rounds have been answered. Jo reads the latest results: the overall band, a perception
// gap between people who use the centre and staff, and perspectives too small to show. Then
// she looks back at round 1, sees how things changed, and downloads the figures. People who
// neither own the check nor answered it see nothing.

const ASSESSMENT = 'demo-assessment-day-centre';
const RESULTS = `/assessments/${ASSESSMENT}/results`;

test.describe('An owner reads the results of a co-production check', () => {
	let demo: RunningServer;
	let password = '';

	test.beforeAll(async () => {
		demo = await startColab({ MAIL_WORKER: 'off' }, ['--demo']);
		password = /password for all: (\S+)\)/.exec(demo.output())?.[1] ?? '';
	});
	test.afterAll(async () => {
		await demo?.stop();
	});

	async function signedIn(browser: Browser, email: string): Promise<Page> {
		const context = await browser.newContext({ baseURL: demo.url });
		const page = await context.newPage();
		await page.goto('/sign-in');
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(
			page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your account' })
		).toBeVisible();
		return page;
	}

	test('sees the band, a highlighted gap, hidden perspectives, the trend, and the CSV', async ({
		browser,
		axe
	}) => {
		const page = await signedIn(browser, 'jo@demo.colab.example');

		const response = await page.goto(RESULTS);
		expect(response?.status()).toBe(200);
		expect(response?.headers()['cache-control']).toBe('private, no-store');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Riverside day centre' })
		).toBeVisible();
		await expect(page.getByText('Co-production check results · Round 2')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Manage this check' })).toHaveAttribute(
			'href',
			`/assessments/${ASSESSMENT}`
		);

		// The overall score and its band, in words.
		const overall = page.getByRole('region', { name: 'Overall', exact: true });
		await expect(overall).toContainText('24 people have sent their answers to this round.');
		await expect(overall.locator('.lead')).toHaveText(
			/Overall score: (just under )?\d+ out of 100\. That is (Not yet co-produced|Early steps|Getting there|Strong co-production)\./
		);

		// A summary first: the strongest and weakest areas and the biggest gaps, then a short
		// list of the sections to jump to.
		await expect(overall).toContainText(/Strongest: .+\./);
		await expect(overall).toContainText(/Weakest: .+\./);
		await expect(overall).toContainText(/Biggest gaps between people who use services/);
		const contents = page.getByRole('navigation', { name: 'On this page' });
		for (const section of [
			'Scores for each area',
			'Each perspective',
			'Perception gap',
			'Strongest and weakest areas',
			'Where people place the work',
			'Changes across rounds',
			'What people wrote'
		]) {
			await expect(contents.getByRole('link', { name: section })).toBeVisible();
		}
		await contents.getByRole('link', { name: 'Perception gap' }).click();
		await expect(page).toHaveURL(/#gap$/);
		await expect(page.getByRole('heading', { level: 2, name: 'Perception gap' })).toBeInViewport();

		// The perception gap: highlighted in words, not by colour, and said once, not per area.
		const gaps = page.getByRole('region', { name: 'Gaps of 20 points or more' });
		await expect(gaps).toBeVisible();
		const sentence =
			/^People who use services and carers rate (this area|these areas) (lower|higher) than staff, managers and commissioners do:$/;
		await expect(gaps.getByText(sentence).first()).toBeVisible();
		expect(await gaps.getByText(sentence).count()).toBeLessThanOrEqual(2);
		const listed = gaps.getByRole('listitem');
		expect(await listed.count()).toBeGreaterThan(1);
		await expect(listed.first()).toHaveText(/^.+: \d+ points (lower|higher)$/);
		await expect(gaps.getByText(/rate this \d+ points/)).toHaveCount(0);
		const gapTable = page.getByRole('table', { name: 'Perception gap in each area, out of 100' });
		await expect(gapTable.getByRole('columnheader', { name: 'Gap' })).toBeVisible();
		await expect(gapTable.getByText(/▲ \d+ points lower/).first()).toBeVisible();

		// Nobody answered as "something else": too few to show, with the reason, never a zero.
		const other = page
			.getByRole('table', { name: 'Overall score of each perspective, out of 100' })
			.getByRole('row', { name: /Something else/ });
		await expect(other).toContainText(
			'Not shown. Fewer than 3 people answered from this perspective.'
		);
		await expect(other).not.toContainText('0');

		// The weakest areas come with the curators' guidance; the comments are for owners.
		await expect(page.getByRole('heading', { name: 'Weakest, and what to try' })).toBeVisible();
		await expect(page.getByRole('region', { name: 'What people wrote' })).toContainText(
			'We are asked for our views, but we never hear what happened to them.'
		);
		await expect(page.getByRole('img', { name: /Everyone’s score in each area/ })).toBeVisible();
		await expect(page.getByRole('img', { name: /Scores of the two sides/ })).toBeVisible();
		await axe(page);

		// From the check to the library: each weakest area offers the published case studies that
		// show it and the champions who know it. Jo follows one to its case study.
		const weakest = page.getByRole('region', { name: 'Strongest and weakest areas' });
		await expect(weakest.getByText('Case studies that show this area:').first()).toBeVisible();
		await expect(
			weakest.getByText('Champions who know this area and can help:').first()
		).toBeVisible();
		const caseStudy = weakest.locator('a[href^="/library/"]').first();
		const caseStudyTitle = (await caseStudy.textContent())?.trim() ?? '';
		expect(caseStudyTitle.length).toBeGreaterThan(0);
		await caseStudy.click();
		await expect(page.getByRole('heading', { level: 1, name: caseStudyTitle })).toBeVisible();
		await axe(page);
		await page.goto(RESULTS);

		// On a phone, each wide table scrolls inside its own labelled box, which a keyboard
		// reaches, with a hint that says so; the page itself never scrolls sideways.
		await page.setViewportSize({ width: 390, height: 844 });
		const areas = page.getByRole('region', {
			name: 'Score for each area, out of 100: everyone, and each perspective shown'
		});
		await expect(areas).toHaveAttribute('tabindex', '0');
		await expect(areas.getByRole('table')).toBeAttached();
		expect(await areas.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
		await areas.focus();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => areas.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
		await expect(page.getByText('Scroll sideways to see the whole table.').first()).toBeVisible();
		expect(
			await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			)
		).toBeLessThanOrEqual(0);
		await axe(page);
		await page.setViewportSize({ width: 1280, height: 720 });
		await expect(page.getByText('Scroll sideways to see the whole table.').first()).toBeHidden();

		// Round 1, months earlier, and the change since.
		await page
			.getByRole('navigation', { name: 'Rounds' })
			.getByRole('link', { name: 'Round 1' })
			.click();
		await expect(page).toHaveURL(/\?round=1$/);
		await expect(page.getByText('Co-production check results · Round 1')).toBeVisible();
		await expect(page.getByRole('region', { name: 'Overall', exact: true })).toContainText(
			'18 people have sent their answers to this round.'
		);
		const trend = page.getByRole('table', { name: 'Everyone’s scores in each round, out of 100' });
		await expect(trend.getByRole('columnheader', { name: 'Round 1' })).toBeVisible();
		await expect(trend.getByRole('columnheader', { name: 'Round 2' })).toBeVisible();
		await expect(trend.getByRole('row', { name: /^People who answered 18 24/ })).toBeVisible();
		await expect(trend.getByRole('row', { name: /^Overall / })).toContainText(
			/Up \d+|Down \d+|No change/
		);
		// The chart for each area is folded under the table with the same figures.
		await expect(page.getByRole('img', { name: 'Overall: score in each round' })).toBeHidden();
		await page.getByText('Charts of each area, round by round').click();
		await expect(page.getByRole('img', { name: 'Overall: score in each round' })).toBeVisible();
		await axe(page);

		// The figures of round 1 as a spreadsheet.
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: /Download round 1’s figures/ }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('riverside-day-centre-results-round-1.csv');
		const text = fs.readFileSync((await download.path())!, 'utf8');
		// A byte-order mark, so Excel reads it as UTF-8.
		expect(text.startsWith('\uFEFF')).toBe(true);
		const lines = text.slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toMatch(/^Group,Respondents,People who use the service are closely involved,/);
		expect(lines[0]).toMatch(
			/,Overall,Informing,Consulting,Engaging,Co-designing,Co-producing,Not answered$/
		);
		expect(lines[1]).toMatch(/^Everyone,18,\d+,/);
		// Hidden: every cell empty after the name (respondents, 9 areas, overall, 6 stages).
		expect(lines).toContain(`I’m from a partner organisation${','.repeat(17)}`);

		const file = await page.request.get(`${RESULTS}.csv?round=1`);
		expect(file.headers()['content-type']).toBe('text/csv; charset=utf-8');
		expect(file.headers()['cache-control']).toBe('private, no-store');
		expect(file.headers()['content-disposition']).toBe(
			'attachment; filename="riverside-day-centre-results-round-1.csv"'
		);

		// Rounds and checks that do not exist.
		for (const missing of [
			`${RESULTS}?round=3`,
			`${RESULTS}?round=first`,
			'/assessments/no-such-check/results'
		]) {
			expect((await page.request.get(missing)).status(), missing).toBe(404);
		}
		await page.context().close();
	});

	test('is refused to a visitor and to a member who did not answer', async ({ browser }) => {
		const visitor = await browser.newContext({ baseURL: demo.url });
		for (const path of [RESULTS, `${RESULTS}.csv`]) {
			const refused = await visitor.request.get(path, { maxRedirects: 0 });
			expect(refused.status(), path).toBe(303);
			expect(refused.headers().location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
		}
		await visitor.close();

		const tom = await signedIn(browser, 'tom@demo.colab.example');
		const response = await tom.goto(`${RESULTS}?round=1`);
		expect(response?.status()).toBe(403);
		await expect(tom.getByRole('heading', { level: 1 })).toHaveText(
			'The results of this round are only for its owners and the people who answered it.'
		);
		await expect(tom.getByText('Riverside day centre')).toHaveCount(0);
		expect((await tom.request.get(`${RESULTS}.csv`)).status()).toBe(403);
		await tom.context().close();
	});
});
