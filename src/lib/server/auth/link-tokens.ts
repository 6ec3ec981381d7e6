import { createHash } from 'node:crypto';

// The secrets in emailed sign-in and password reset links are stored only as hashes, so reading
// the database (or a backup of it) gives no link that works. better-auth keeps its one-time
// values in `auth_verification`; the identifier of a sign-in link is `magic-link:<hash>` (the
// magic-link plugin's `storeToken: 'hashed'`) and of a reset link `reset-password-sha256:<hash>`
// (the hasher below). A prefix stays readable, so "download my data" can say what a link is for.
// The reset prefix must differ from the one better-auth looks up: when a hashed identifier is
// not found it tries the plain one too, so `reset-password:<hash>` stored would make the hash
// itself a working token.

/** SHA-256 in base64url without padding: the same hash better-auth uses for `hashed`. */
export function hashLinkToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export const SIGN_IN_LINK_PREFIX = 'magic-link:';
/** How better-auth names a reset link's identifier before it is stored. */
export const RESET_LINK_PREFIX = 'reset-password:';
/** How a reset link's identifier is stored. */
export const STORED_RESET_LINK_PREFIX = 'reset-password-sha256:';

/** The stored identifier of a sign-in link's token. */
export function signInLinkIdentifier(token: string): string {
	return `${SIGN_IN_LINK_PREFIX}${hashLinkToken(token)}`;
}

/** The stored identifier of a password reset link's token. */
export function resetLinkIdentifier(token: string): string {
	return `${STORED_RESET_LINK_PREFIX}${hashLinkToken(token)}`;
}

/**
 * better-auth's `verification.storeIdentifier`: reset links hashed (keeping their prefix), every
 * other identifier as better-auth writes it (sign-in links arrive already hashed by the plugin).
 */
export const storeVerificationIdentifier = {
	default: 'plain' as const,
	overrides: {
		[RESET_LINK_PREFIX]: {
			hash: async (identifier: string) =>
				resetLinkIdentifier(identifier.slice(RESET_LINK_PREFIX.length))
		}
	}
};
