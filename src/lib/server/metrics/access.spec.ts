import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, refuseScrape, type ScrapeSettings } from './access';

const TOKEN = 'scrape-token-0123456789abcdef';
const withToken: ScrapeSettings = { token: TOKEN, trustedProxies: 0 };
const loopbackOnly: ScrapeSettings = { token: undefined, trustedProxies: 0 };

describe('who may scrape /metrics', () => {
	describe('with METRICS_TOKEN set', () => {
		it('serves a scraper sending the token as a bearer token, from anywhere', () => {
			for (const socketAddress of ['203.0.113.9', '127.0.0.1', '2001:db8::1']) {
				expect(
					refuseScrape(withToken, {
						socketAddress,
						headers: { host: 'colab.example.org', authorization: `Bearer ${TOKEN}` }
					})
				).toBeUndefined();
			}
			// The scheme is case-insensitive (RFC 9110); forwarding headers do not matter here.
			expect(
				refuseScrape(
					{ token: TOKEN, trustedProxies: 1 },
					{
						socketAddress: '127.0.0.1',
						headers: { authorization: `bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.9' }
					}
				)
			).toBeUndefined();
		});

		it('refuses with 403 and no metrics: no token, a wrong one, or another scheme', () => {
			const refusals = [
				{},
				{ authorization: 'Bearer wrong-token-0123456789abcdef' },
				{ authorization: `Bearer ${TOKEN}x` },
				{ authorization: `Bearer ${TOKEN.slice(0, -1)}` },
				{ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
				{ authorization: TOKEN },
				{ authorization: `Bearer ${TOKEN} extra` }
			].map((headers) => refuseScrape(withToken, { socketAddress: '127.0.0.1', headers }));
			for (const refusal of refusals) {
				expect(refusal?.status).toBe(403);
				expect(refusal?.message).not.toMatch(/colab_/);
			}
		});

		it('does not let the loopback in without the token', () => {
			expect(
				refuseScrape(withToken, { socketAddress: '127.0.0.1', headers: { host: 'localhost:3000' } })
					?.status
			).toBe(403);
		});
	});

	describe('without a token: only this machine, directly', () => {
		const local = (headers: Record<string, string>, socketAddress = '127.0.0.1') =>
			refuseScrape(loopbackOnly, {
				socketAddress,
				headers: { host: '127.0.0.1:3000', ...headers }
			});

		it('serves a scraper on the loopback, by IPv4, IPv6 or an IPv4-mapped address', () => {
			expect(local({})).toBeUndefined();
			expect(local({ host: 'localhost:3000' }, '::1')).toBeUndefined();
			expect(local({ host: '[::1]:3000' }, '::ffff:127.0.0.1')).toBeUndefined();
			expect(local({ host: 'localhost' }, '127.0.1.1')).toBeUndefined();
		});

		it('refuses any other socket address with 404, as if metrics were off', () => {
			for (const address of ['192.0.2.7', '10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1']) {
				const refusal = local({}, address);
				expect(refusal?.status).toBe(404);
				expect(refusal?.message).not.toMatch(/colab_/);
			}
			// A socket already closed has no address: refused too.
			expect(
				refuseScrape(loopbackOnly, { socketAddress: undefined, headers: { host: 'localhost' } })
					?.status
			).toBe(404);
		});

		it('refuses a loopback request a proxy passed on (a forwarding header of any kind)', () => {
			for (const header of [
				'x-forwarded-for',
				'forwarded',
				'x-forwarded-host',
				'x-forwarded-proto',
				'x-real-ip',
				'via'
			]) {
				expect(local({ [header]: '127.0.0.1' })?.status, header).toBe(404);
			}
		});

		it('refuses a loopback request whose Host is a public name (a proxy keeping Host)', () => {
			expect(local({ host: 'colab.example.org' })?.status).toBe(404);
			expect(refuseScrape(loopbackOnly, { socketAddress: '127.0.0.1', headers: {} })?.status).toBe(
				404
			);
		});

		it('refuses even a bare loopback request when TRUSTED_PROXIES says a proxy stands in front', () => {
			expect(
				refuseScrape(
					{ token: undefined, trustedProxies: 1 },
					{ socketAddress: '127.0.0.1', headers: { host: '127.0.0.1:3000' } }
				)?.status
			).toBe(404);
		});

		it('is not fooled by a bearer token when none is configured', () => {
			expect(local({ authorization: 'Bearer anything-at-all-12345' }, '192.0.2.7')?.status).toBe(
				404
			);
		});
	});

	it('knows the loopback addresses and nothing else', () => {
		expect(isLoopbackAddress('127.0.0.1')).toBe(true);
		expect(isLoopbackAddress('127.255.0.3')).toBe(true);
		expect(isLoopbackAddress('::1')).toBe(true);
		expect(isLoopbackAddress('::FFFF:127.0.0.1')).toBe(true);
		expect(isLoopbackAddress('128.0.0.1')).toBe(false);
		expect(isLoopbackAddress('1127.0.0.1')).toBe(false);
		expect(isLoopbackAddress('::ffff:192.0.2.1')).toBe(false);
		expect(isLoopbackAddress('0.0.0.0')).toBe(false);
		expect(isLoopbackAddress('')).toBe(false);
	});
});
