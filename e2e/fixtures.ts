import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Mailbox } from './support/mailbox';
import { startColab, type RunningServer } from './support/server';

export { expect };

type WorkerFixtures = { mailbox: Mailbox; colab: RunningServer };
type TestFixtures = { axe: (page: Page) => Promise<void> };

/** WCAG 2.2 AA, as the project's standing rules require. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The widths every check runs at: a desktop and a phone (390 × 844, a common phone's screen).
 * Layouts change between them (the menu and the filters fold, tables scroll in their own box),
 * so a page passes only when it passes at both.
 */
export const AXE_VIEWPORTS = [
	{ width: 1280, height: 720 },
	{ width: 390, height: 844 }
] as const;

/**
 * Checks the page as it is now with axe-core, at each of AXE_VIEWPORTS, then puts the page back
 * at its own size; fails with the list of violations at each width. Needs a page with
 * JavaScript on (axe runs inside it); check no-JavaScript pages in a normal context.
 */
export async function expectAccessible(page: Page): Promise<void> {
	const own = page.viewportSize();
	const summary: string[] = [];
	try {
		for (const viewport of AXE_VIEWPORTS) {
			await page.setViewportSize(viewport);
			const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
			summary.push(
				...results.violations.map(
					(v) =>
						`at ${viewport.width} px: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`
				)
			);
		}
	} finally {
		if (own) await page.setViewportSize(own);
	}
	expect(summary, `axe-core found problems on ${page.url()}`).toEqual([]);
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
	mailbox: [
		async ({}, use) => {
			const mailbox = new Mailbox();
			await mailbox.start();
			await use(mailbox);
			await mailbox.stop();
		},
		{ scope: 'worker' }
	],
	colab: [
		async ({ mailbox }, use) => {
			const server = await startColab({
				SMTP_URL: mailbox.url,
				MAIL_FROM: 'CoLab Test <colab@example.test>',
				...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {})
			});
			await use(server);
			await server.stop();
		},
		{ scope: 'worker', timeout: 120_000 }
	],
	baseURL: async ({ colab }, use) => {
		await use(colab.url);
	},
	axe: async ({}, use) => {
		await use(expectAccessible);
	}
});
