import { app } from '../app';
import type { UpdatesSite } from './updates.mails';

/** The site as update mails need it, from the running app's settings. */
export function updatesSite(): UpdatesSite {
	const { config } = app();
	return { siteName: config.siteName, origin: config.origin };
}

/** The one address outside this site that may POST without an Origin: one-click unsubscribe. */
export const ONE_CLICK_UNSUBSCRIBE_PATH = /^\/updates\/unsubscribe\/[A-Za-z0-9_-]{20,100}$/;
