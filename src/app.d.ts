import type { Logger } from '$lib/server/logger';
import type { SessionUser } from '$lib/server/auth/auth.types';
import type { SharedRenderNotes } from '$lib/server/cache/shared-pages';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			log: Logger;
			/** The signed-in person, or null for a visitor. */
			user: SessionUser | null;
			sessionId: string | null;
			/** The session was read on the quick path: no refreshed cookie goes with this response. */
			sessionSettled: boolean;
			/**
			 * Set while a page that may be shared renders (cache/shared-pages.ts): `standIn` when it
			 * renders for the stand-in member (the layout and page then mark their slots), and the
			 * `notes` the page leaves for its rule.
			 */
			sharedRender: { standIn: boolean; notes: SharedRenderNotes } | null;
			/**
			 * The status a page answers with, set by its load when it is not 200 but the page must
			 * still show (a GET form with problems answers 400); see http/page-status.ts.
			 */
			pageStatus?: number;
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
