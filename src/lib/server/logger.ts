import pino from 'pino';

/** One JSON logger for the whole server. Child loggers carry the request id. */
export const logger = pino({
	level: process.env.LOG_LEVEL || (process.env.VITEST ? 'silent' : 'info'),
	base: { app: 'colab' },
	redact: ['req.headers.cookie', 'req.headers.authorization']
});

export type Logger = typeof logger;
