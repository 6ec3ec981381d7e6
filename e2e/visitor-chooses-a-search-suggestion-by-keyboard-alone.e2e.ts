import { test, expect } from './fixtures';
import { createPerson, signIn } from './support/people';
import { hostEvent } from './support/events';

// Sam uses the keyboard alone. On the search page, they Tab to the header's search box, type
// the start of a word, hear how many suggestions there are, move down to the one they want
// with the arrow key, and press Enter to go straight to it. Escape closes the list.
test('a visitor chooses a search suggestion by keyboard alone', async ({
	page,
	browser,
	colab,
	mailbox,
	axe
}) => {
	const word = `thimble${Date.now()}q`;
	const title = `Repair café ${word} for small things`;
	const priya = await createPerson(
		{ colab, mailbox, browser },
		{ name: 'Priya Shah', role: 'curator' }
	);
	await signIn(page, priya);
	const eventId = await hostEvent(page, { title });

	const visitor = await browser.newContext({ baseURL: colab.url });
	const sam = await visitor.newPage();
	await sam.goto('/search');
	await sam.waitForLoadState('networkidle');
	const box = sam.getByRole('combobox', { name: 'Search CoLab' });
	for (let i = 0; i < 40; i++) {
		await sam.keyboard.press('Tab');
		if (await box.evaluate((el) => el === document.activeElement)) break;
	}
	await expect(box).toBeFocused();
	// Focus is visible: an outline or a ring the design system draws.
	const outline = await box.evaluate((el) => {
		const style = getComputedStyle(el);
		return { outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
	});
	expect((outline.outline !== 'none' && outline.width !== '0px') || outline.shadow !== 'none').toBe(
		true
	);

	await sam.keyboard.type(word.slice(0, 12), { delay: 30 });
	const list = sam.getByRole('listbox', { name: 'Suggestions' });
	await expect(list).toBeVisible();
	await expect(box).toHaveAttribute('aria-expanded', 'true');
	await expect(list.getByRole('option')).toHaveCount(1);
	await expect(sam.getByText(/^1 suggestion/)).toBeAttached();
	await axe(sam);

	await sam.keyboard.press('Escape');
	await expect(list).toBeHidden();
	await expect(box).toHaveAttribute('aria-expanded', 'false');
	await sam.keyboard.type(word.slice(12, 13), { delay: 30 });
	await expect(list).toBeVisible();
	await sam.keyboard.press('ArrowDown');
	const option = list.getByRole('option', { name: new RegExp(title) });
	await expect(option).toHaveAttribute('aria-selected', 'true');
	await expect(box).toHaveAttribute('aria-activedescendant', /.+/);
	await sam.keyboard.press('Enter');
	await expect(sam).toHaveURL(new RegExp(`/events/${eventId}`));
	await expect(sam.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await visitor.close();
});
