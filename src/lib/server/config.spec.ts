import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
	it('reads where pictures go and the largest taken', () => {
		expect(readConfig({}).uploads).toEqual({ maxBytes: 5 * 1024 * 1024, folder: undefined });
		expect(readConfig({ UPLOAD_MAX_BYTES: '800K', UPLOADS_DIR: '/srv/uploads' }).uploads).toEqual({
			maxBytes: 800 * 1024,
			folder: '/srv/uploads'
		});
		expect(readConfig({ UPLOAD_MAX_BYTES: '2000000' }).uploads.maxBytes).toBe(2_000_000);
		for (const wrong of ['5 MB', '-1', '0', 'lots'])
			expect(() => readConfig({ UPLOAD_MAX_BYTES: wrong }), wrong).toThrow(
				/UPLOAD_MAX_BYTES must be a number of bytes/
			);
	});

	it('has defaults that work on a laptop', () => {
		const config = readConfig({});
		expect(config).toMatchObject({
			port: 3000,
			host: '127.0.0.1',
			origin: 'http://localhost:3000',
			dataDir: path.resolve('./data'),
			databaseUrl: undefined,
			siteName: 'CoLab',
			timeZone: 'Europe/London',
			smtpUrl: undefined,
			trustedProxies: 0,
			pageCache: true,
			metrics: { enabled: false, token: undefined }
		});
	});

	it('reads every setting from the environment', () => {
		const config = readConfig({
			PORT: '8080',
			HOST: '0.0.0.0',
			ORIGIN: 'https://colab.example.org/',
			DATA_DIR: '/srv/colab',
			DATABASE_URL: 'postgres://colab@db/colab',
			SITE_NAME: 'Borough Co-production Network',
			SMTP_URL: 'smtp://mail.example.org:587',
			MAIL_FROM: 'Network <hello@example.org>',
			TRUSTED_PROXIES: '1',
			PAGE_CACHE: 'off',
			METRICS: 'on',
			METRICS_TOKEN: 'a-scraper-token-0123456789'
		});
		expect(config).toMatchObject({
			port: 8080,
			host: '0.0.0.0',
			origin: 'https://colab.example.org',
			dataDir: '/srv/colab',
			databaseUrl: 'postgres://colab@db/colab',
			siteName: 'Borough Co-production Network',
			smtpUrl: 'smtp://mail.example.org:587',
			mailFrom: 'Network <hello@example.org>',
			trustedProxies: 1,
			pageCache: false,
			metrics: { enabled: true, token: 'a-scraper-token-0123456789' }
		});
	});

	it('names the setting when a number is wrong', () => {
		expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
		expect(() => readConfig({ TRUSTED_PROXIES: '-1' })).toThrow(/TRUSTED_PROXIES/);
	});

	it('names the setting when metrics are set wrongly, and refuses a guessable token', () => {
		expect(() => readConfig({ METRICS: 'yes' })).toThrow(/METRICS must be "on" or "off"/);
		expect(() => readConfig({ METRICS: 'on', METRICS_TOKEN: 'secret' })).toThrow(
			/METRICS_TOKEN must be at least 16 characters/
		);
		expect(() => readConfig({ METRICS_TOKEN: 'has a space in it somewhere' })).toThrow(
			/METRICS_TOKEN/
		);
		expect(readConfig({ METRICS: 'off' }).metrics.enabled).toBe(false);
	});
});
