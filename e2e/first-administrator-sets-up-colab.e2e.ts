import { test, expect } from './fixtures';
import { startColab } from './support/server';

// Someone installs CoLab and starts it. There are no accounts, so the home page leads them to
// /setup, which asks for the one-time code printed in the terminal and makes them the first
// administrator. The code works once; afterwards /setup is gone.
test('the first administrator sets up CoLab with the code from the terminal, and says how to contact them', async ({
	page,
	mailbox,
	axe
}) => {
	test.setTimeout(150_000);
	async function axeAtBothWidths() {
		await axe(page);
		await page.setViewportSize({ width: 390, height: 844 });
		await axe(page);
		await page.setViewportSize({ width: 1280, height: 720 });
	}
	// A server of its own, since the shared one may already have people in it.
	const server = await startColab({
		SMTP_URL: mailbox.url,
		DATABASE_URL: '',
		MAIL_FROM: 'CoLab Test <colab@example.test>'
	});
	try {
		const printed = /one-time setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(
			server.output()
		);
		expect(printed, server.output()).not.toBeNull();
		const code = printed![1]!;
		expect(server.output()).toContain(`${server.url}/setup`);

		// Before anyone has said how to reach them, the accessibility statement and privacy notice
		// say so plainly, and the statement still gives the enforcement procedure.
		const missing = 'The administrators of CoLab have not added their contact details yet.';
		await page.goto(`${server.url}/accessibility`);
		await expect(page.getByText(missing)).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Enforcement procedure' })).toBeVisible();
		await expect(page.getByText('Equality and Human Rights Commission (EHRC)')).toBeVisible();
		await expect(
			page.getByRole('link', { name: 'Equality Commission for Northern Ireland' })
		).toBeVisible();
		await axeAtBothWidths();
		await page.goto(`${server.url}/privacy`);
		await expect(page.getByText(missing)).toBeVisible();

		await page.goto(`${server.url}/`);
		const banner = page.getByRole('region', { name: 'Set up CoLab' });
		await expect(banner).toContainText('Nobody has an account here yet.');
		await axe(page);
		await banner.getByRole('link', { name: 'Create the first administrator account' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Set up CoLab' })).toBeVisible();
		await expect(
			page.getByRole('heading', { level: 2, name: 'How people can contact you (optional)' })
		).toBeVisible();
		await axeAtBothWidths();

		// Contact details are asked for too (optional); one that is wrong is refused with a
		// message beside it, everything else kept.
		const contactEmail = page.getByLabel('Contact email address (optional)');
		const contactPhone = page.getByLabel('Contact phone number (optional)');
		const contactAddress = page.getByLabel('Postal address (optional)');
		await page.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
		await page.getByLabel('Your name').fill('Ada Admin');
		await page.getByLabel('Email address', { exact: true }).fill('ada@example.test');
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await contactEmail.fill('help@riverside.example');
		await contactPhone.fill('call us');
		await contactAddress.fill('Riverside CoLab\n1 High Street\nTownley TL1 2AB');
		await page.getByRole('button', { name: 'Create administrator account' }).click();
		await expect(page.locator('#contactPhone-error')).toContainText(
			'Enter a phone number with digits only'
		);
		await expect(contactPhone).toHaveValue('call us');
		await expect(contactEmail).toHaveValue('help@riverside.example');
		await expect(contactAddress).toHaveValue('Riverside CoLab\n1 High Street\nTownley TL1 2AB');
		await axe(page);

		// A wrong code is refused, with everything else kept.
		await page.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await contactPhone.fill('020 7946 0000');
		await page.getByRole('button', { name: 'Create administrator account' }).click();
		await expect(page.getByRole('alert')).toContainText('That setup code is not right');
		await expect(page.getByLabel('Your name')).toHaveValue('Ada Admin');
		await expect(page.getByLabel('Email address', { exact: true })).toHaveValue('ada@example.test');
		await expect(contactPhone).toHaveValue('020 7946 0000');
		await axe(page);

		// Typed in lower case with spaces, it still matches.
		await page.getByLabel('Setup code').fill(code.toLowerCase().replaceAll('-', ' '));
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await page.getByRole('button', { name: 'Create administrator account' }).click();
		await expect(page).toHaveURL(/\/account\?changed=set-up$/);
		await expect(
			page.getByText('CoLab is set up and you are its first administrator.')
		).toBeVisible();
		await expect(
			page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })
		).toBeVisible();
		// The footer says how to reach them, on every page.
		const footer = page.getByRole('contentinfo');
		await expect(footer).toContainText('Contact the people who run CoLab:');
		await expect(footer.getByRole('link', { name: 'help@riverside.example' })).toHaveAttribute(
			'href',
			'mailto:help@riverside.example'
		);
		await expect(footer.getByRole('link', { name: '020 7946 0000' })).toHaveAttribute(
			'href',
			'tel:02079460000'
		);
		await axeAtBothWidths();

		// So do the accessibility statement and the privacy notice.
		for (const path of ['/accessibility', '/privacy']) {
			await page.goto(`${server.url}${path}`);
			const main = page.getByRole('main');
			await expect(main.getByRole('link', { name: 'help@riverside.example' })).toBeVisible();
			await expect(main.getByRole('link', { name: '020 7946 0000' })).toBeVisible();
			await expect(main.getByText('1 High Street')).toBeVisible();
			await expect(main.getByText(missing)).toHaveCount(0);
			await axeAtBothWidths();
		}

		// Settings has a tab of its own in the admin menu, marked as the current page there.
		await page.goto(`${server.url}/admin`);
		const adminNav = page.getByRole('navigation', { name: 'Administration' });
		await adminNav.getByRole('link', { name: 'Settings' }).click();
		await expect(page).toHaveURL(/\/admin\/settings$/);
		await expect(adminNav.getByRole('link', { name: 'Settings' })).toHaveAttribute(
			'aria-current',
			'page'
		);
		await expect(adminNav.locator('[aria-current="page"]')).toHaveCount(1);
		await axeAtBothWidths();

		// The administrator changes the details there, by keyboard: no phone any more.
		await expect(page.getByLabel('Contact phone number (optional)')).toHaveValue('020 7946 0000');
		await page.getByLabel('Contact phone number (optional)').focus();
		await page.keyboard.press('ControlOrMeta+a');
		await page.keyboard.press('Delete');
		await page.keyboard.press('Enter');
		await expect(page.getByText('The contact details are saved.')).toBeVisible();
		await expect(page.getByLabel('Contact phone number (optional)')).toHaveValue('');
		await expect(footer.getByRole('link', { name: 'help@riverside.example' })).toBeVisible();
		await expect(footer.getByRole('link', { name: '020 7946 0000' })).toHaveCount(0);
		await axeAtBothWidths();

		// Setup is done: the page is gone and the home page no longer points at it.
		const again = await page.goto(`${server.url}/setup`);
		expect(again?.status()).toBe(404);
		await expect(page.getByText('CoLab is already set up. Sign in instead.')).toBeVisible();
		await axe(page);
		await page.context().clearCookies();
		await page.goto(`${server.url}/`);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('CoLab');
		await expect(page.getByRole('region', { name: 'Set up CoLab' })).toHaveCount(0);

		// Visitors see the details too (the cached pages were dropped when they changed).
		await page.goto(`${server.url}/accessibility`);
		await expect(
			page.getByRole('main').getByRole('link', { name: 'help@riverside.example' })
		).toBeVisible();
		await expect(page.getByRole('main').getByRole('link', { name: '020 7946 0000' })).toHaveCount(
			0
		);

		// The administrator can sign in with the password chosen.
		await page.goto(`${server.url}/sign-in`);
		await page.getByLabel('Email address').fill('ada@example.test');
		await page.getByLabel('Password', { exact: true }).fill('the strongest password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/account$/);
	} finally {
		await server.stop();
	}
});
