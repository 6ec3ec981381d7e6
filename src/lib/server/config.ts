import path from 'node:path';

/**
 * Every setting CoLab reads, in one place. Read from the environment (never from `$env`) so the
 * same code serves the app, the CLI, the tests and the benchmark. The README lists each one.
 */
export interface Config {
	port: number;
	host: string;
	/** The public URL people use, e.g. https://colab.example.org. */
	origin: string;
	dataDir: string;
	/** postgres://… switches to PostgreSQL; unset means SQLite in dataDir. */
	databaseUrl: string | undefined;
	siteName: string;
	timeZone: string;
	smtpUrl: string | undefined;
	mailFrom: string;
	/** Whether this instance sends mail from the outbox (MAIL_WORKER=off to leave it to others). */
	mailWorker: boolean;
	/** Secret for signing sessions and tokens; generated and kept in the database when unset. */
	authSecret: string | undefined;
	/** How many reverse proxies in front of CoLab to trust for X-Forwarded-For (0 = none). */
	trustedProxies: number;
	logLevel: string;
	/** Whether the anonymous page cache is on (tests may turn it off). */
	pageCache: boolean;
	/**
	 * The Prometheus endpoint `/metrics` (METRICS=on; off by default). With a token, only a
	 * scraper sending it as a bearer token is answered; without one, only this machine.
	 */
	metrics: { enabled: boolean; token: string | undefined };
	/**
	 * Pictures people upload: the largest file taken (UPLOAD_MAX_BYTES, 5 MB unless set), and the
	 * folder every instance shares for them (UPLOADS_DIR); unset keeps them in the database.
	 */
	uploads: { maxBytes: number; folder: string | undefined };
	/**
	 * Videos people upload with a post: the largest file taken (VIDEO_MAX_BYTES, 200 MB unless
	 * set), kept as files in `<UPLOADS_DIR>/videos`, or `<DATA_DIR>/videos` without UPLOADS_DIR
	 * (too large for the database). With several instances the folder must be shared storage.
	 */
	videos: { maxBytes: number; folder: string };
}

/** 5 MB: a photo from a phone, with room to spare. */
export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** 200 MB: a few minutes of phone video at a modest quality. */
export const DEFAULT_VIDEO_MAX_BYTES = 200 * 1024 * 1024;

/** A number of bytes, with an optional K, M or G (as BODY_SIZE_LIMIT is written). */
function byteSize(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const match = /^(\d+)([KMG]?)$/i.exec(value.trim());
	if (!match || Number(match[1]) === 0)
		throw new Error(`${name} must be a number of bytes such as 5M or 800K, got "${value}"`);
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase()]!;
	return Number(match[1]) * unit;
}

/** Shorter tokens could be guessed: nothing limits how often a scraper may try. */
const MIN_METRICS_TOKEN_LENGTH = 16;

function onOff(value: string | undefined, fallback: boolean, name: string): boolean {
	if (value === undefined || value === '') return fallback;
	if (value === 'on') return true;
	if (value === 'off') return false;
	throw new Error(`${name} must be "on" or "off", got "${value}"`);
}

function metricsToken(value: string | undefined): string | undefined {
	if (value === undefined || value === '') return undefined;
	if (value.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(value))
		throw new Error(
			`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters with no spaces (try: openssl rand -hex 32)`
		);
	return value;
}

function integer(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0)
		throw new Error(`${name} must be a whole number, got "${value}"`);
	return n;
}

/** Reads the configuration from an environment (process.env by default). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = integer(env.PORT, 3000, 'PORT');
	const host = env.HOST || '127.0.0.1';
	const dataDir = path.resolve(env.DATA_DIR || './data');
	// Used for links in emails. On a laptop that is http://localhost:3000.
	const loopback = ['127.0.0.1', '0.0.0.0', '::1', '::', 'localhost'].includes(host);
	const origin = (env.ORIGIN || `http://${loopback ? 'localhost' : host}:${port}`).replace(
		/\/+$/,
		''
	);
	return {
		port,
		host,
		origin,
		dataDir,
		databaseUrl: env.DATABASE_URL || undefined,
		siteName: env.SITE_NAME || 'CoLab',
		timeZone: env.TIME_ZONE || 'Europe/London',
		smtpUrl: env.SMTP_URL || undefined,
		mailFrom: env.MAIL_FROM || `${env.SITE_NAME || 'CoLab'} <no-reply@localhost>`,
		mailWorker: env.MAIL_WORKER !== 'off',
		authSecret: env.AUTH_SECRET || undefined,
		trustedProxies: integer(env.TRUSTED_PROXIES, 0, 'TRUSTED_PROXIES'),
		logLevel: env.LOG_LEVEL || 'info',
		pageCache: env.PAGE_CACHE !== 'off',
		metrics: {
			enabled: onOff(env.METRICS, false, 'METRICS'),
			token: metricsToken(env.METRICS_TOKEN)
		},
		uploads: {
			maxBytes: byteSize(env.UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_MAX_BYTES, 'UPLOAD_MAX_BYTES'),
			folder: env.UPLOADS_DIR ? path.resolve(env.UPLOADS_DIR) : undefined
		},
		videos: {
			maxBytes: byteSize(env.VIDEO_MAX_BYTES, DEFAULT_VIDEO_MAX_BYTES, 'VIDEO_MAX_BYTES'),
			folder: path.join(env.UPLOADS_DIR ? path.resolve(env.UPLOADS_DIR) : dataDir, 'videos')
		}
	};
}
