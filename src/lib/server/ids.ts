import { randomBytes } from 'node:crypto';

/** A new random id: 22 URL-safe characters (128 bits), the same shape for every table. */
export function newId(): string {
	return randomBytes(16).toString('base64url');
}

/** The current time as the ISO-8601 UTC string every timestamp column holds. */
export function nowIso(): string {
	return new Date().toISOString();
}
