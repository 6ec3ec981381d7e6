import type { RateLimitRule } from '../rate-limit/rate-limit.service';

/**
 * How often each account action may be tried. Address limits are generous (many people can
 * share one address, e.g. a library); email limits are tight, because they protect one account.
 */
export const AUTH_RATE_LIMITS = {
	signIn: {
		ip: { limit: 100, windowSeconds: 10 * 60 },
		email: { limit: 10, windowSeconds: 15 * 60 }
	},
	signUp: {
		ip: { limit: 30, windowSeconds: 60 * 60 },
		email: { limit: 5, windowSeconds: 60 * 60 }
	},
	signInLink: {
		ip: { limit: 30, windowSeconds: 15 * 60 },
		email: { limit: 5, windowSeconds: 15 * 60 }
	},
	passwordReset: {
		ip: { limit: 30, windowSeconds: 15 * 60 },
		email: { limit: 5, windowSeconds: 15 * 60 }
	},
	resendVerification: {
		ip: { limit: 30, windowSeconds: 15 * 60 },
		email: { limit: 5, windowSeconds: 15 * 60 }
	},
	/** Wrong current passwords when changing password or email, per account. */
	passwordCheck: { user: { limit: 10, windowSeconds: 15 * 60 } },
	setup: { ip: { limit: 10, windowSeconds: 15 * 60 } }
} satisfies Record<string, Record<string, RateLimitRule>>;
