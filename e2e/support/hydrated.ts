import type { Page, Response } from '@playwright/test';

/**
 * Opens a page and waits until its JavaScript has loaded. Text typed into a field before
 * Svelte hydrates can be reset by hydration (a reader on a slow connection would see the same),
 * so journeys that type straight after opening a page wait for this first.
 */
export async function openHydrated(page: Page, url: string): Promise<Response | null> {
	const response = await page.goto(url);
	await page.waitForLoadState('networkidle');
	return response;
}
