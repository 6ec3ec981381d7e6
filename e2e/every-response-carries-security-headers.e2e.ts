import { test, expect } from './fixtures';

// What every visitor's browser is told: a strict Content-Security-Policy (hash mode, no inline
// script without a hash), no framing, no sniffing, a careful referrer policy and no powerful
// features. Checked on a freshly rendered page and on the same page served from the cache.
test.describe('Security headers', () => {
	test('pages carry a strict policy, fresh and from the page cache', async ({ request }) => {
		const fresh = await request.get('/accessibility');
		const cached = await request.get('/accessibility');
		expect(cached.headers()['x-colab-cache']).toBe('hit');
		for (const response of [fresh, cached]) {
			const headers = response.headers();
			const csp = headers['content-security-policy'] ?? '';
			expect(csp).toContain("default-src 'self'");
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).toContain("object-src 'none'");
			expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/);
			expect(csp).not.toContain('unsafe-inline');
			expect(csp).not.toContain('nonce-');
			expect(headers['x-content-type-options']).toBe('nosniff');
			expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
			expect(headers['x-frame-options']).toBe('DENY');
			expect(headers['permissions-policy']).toContain('camera=()');
		}
	});

	test('every inline script on a page matches a hash in the policy', async ({ page }) => {
		const violations: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
		});
		await page.goto('/');
		await page.goto('/design');
		await page.getByRole('link', { name: 'Privacy notice' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy notice');
		expect(violations).toEqual([]);
	});

	test('a cross-site form post is refused', async ({ request, colab }) => {
		const response = await request.post('/design', {
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			data: 'name=x'
		});
		expect(response.status()).toBe(403);
		expect(colab.url).toBeTruthy();
	});

	test('the health check reports the database', async ({ request }) => {
		const response = await request.get('/healthz');
		expect(response.status()).toBe(200);
		expect(await response.json()).toEqual({
			status: 'ok',
			database: expect.stringMatching(/^(sqlite|postgres)$/)
		});
		expect(response.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
	});
});
