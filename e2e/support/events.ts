import { expect, type Page } from '@playwright/test';

/** A date some days from now, as a date field takes it (YYYY-MM-DD). */
export function daysFromNow(days: number): string {
	return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export interface EventForm {
	title: string;
	format?: string;
	description?: string;
	date?: string;
	start?: string;
	end?: string;
	mode?: 'In person' | 'Online' | 'Both: in person and online';
	venue?: string;
	address?: string;
	onlineUrl?: string;
	places?: string;
}

/** Fills the host's event form (on /events/new or an edit page) the way a person would. */
export async function fillEventForm(page: Page, form: EventForm): Promise<void> {
	// Text typed before the page has hydrated can be lost, so wait until it has settled.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Title').fill(form.title);
	await page.getByRole('radio', { name: form.format ?? 'Meet-up' }).check();
	await page
		.getByRole('textbox', { name: 'Description', exact: true })
		.fill(form.description ?? 'A friendly get-together. **Everyone** is welcome.');
	await page.getByLabel('Date', { exact: true }).fill(form.date ?? daysFromNow(30));
	await page.getByLabel('Start time').fill(form.start ?? '18:00');
	await page.getByLabel('End time').fill(form.end ?? '19:30');
	await page.getByRole('radio', { name: form.mode ?? 'In person', exact: true }).check();
	if (form.venue !== undefined) await page.getByLabel('Venue (if in person)').fill(form.venue);
	if (form.address !== undefined)
		await page.getByLabel('Address (if in person)').fill(form.address);
	if (form.onlineUrl !== undefined)
		await page.getByLabel('Online link (if online)').fill(form.onlineUrl);
	if (form.places !== undefined)
		await page.getByLabel('Number of places (optional)').fill(form.places);
}

/** Hosts an event through /events/new and returns its id (the page it lands on). */
export async function hostEvent(page: Page, form: EventForm): Promise<string> {
	await page.goto('/events/new');
	await fillEventForm(page, {
		venue: 'Riverside Library',
		address: '12 Market Street, Riverside RV1 4AB',
		...form
	});
	await page.getByRole('button', { name: 'Add the event' }).click();
	await expect(page.getByRole('heading', { level: 1, name: form.title })).toBeVisible();
	const id = /\/events\/([^/?#]+)/.exec(page.url())?.[1];
	if (!id) throw new Error(`not on an event page: ${page.url()}`);
	return id;
}
