import type { Logger } from '$lib/server/logger';
import type { SessionUser } from '$lib/server/auth/auth.types';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			log: Logger;
			/** The signed-in person, or null for a visitor. */
			user: SessionUser | null;
			sessionId: string | null;
		}
		interface Error {
			message: string;
			requestId?: string;
			/** What to do next, when the problem is one the person can fix (see http/body-guard). */
			advice?: string;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
