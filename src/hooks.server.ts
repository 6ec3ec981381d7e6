import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { startApp, stopApp, app } from '$lib/server/app';
import { logger } from '$lib/server/logger';
import { pageCache } from '$lib/server/cache/page-cache';
import { pageCacheHandle } from '$lib/server/cache/page-cache.handle';
import { watchContentVersion } from '$lib/server/cache/content-version';
import { chainHandles } from '$lib/server/http/chain';
import { requestContextHandle } from '$lib/server/http/request-context';
import { requestMetricsHandle } from '$lib/server/metrics/request-metrics.handle';
import { securityHeadersHandle } from '$lib/server/http/security-headers';
import { bodyGuardHandle } from '$lib/server/http/body-guard';
import { originCheckHandle } from '$lib/server/http/origin-check';
import { ONE_CLICK_UNSUBSCRIBE_PATH, updatesSite } from '$lib/server/updates/updates.http';
import { startUpdatesWorker } from '$lib/server/updates/updates.worker';
import { startMailWorker } from '$lib/server/mail/mail.worker';
import { createMailTransport } from '$lib/server/mail/transport';
import { describeUnexpectedError } from '$lib/server/http/errors';
import { getRequestEvent } from '$app/server';
import { startAccounts } from '$lib/server/auth/accounts.start';
import { sessionHandle } from '$lib/server/auth/session.handle';
import { pageStatusHandle } from '$lib/server/http/page-status';
import { watchSignIns } from '$lib/server/auth/session-cache';
import { loggablePath } from '$lib/server/http/loggable-path';
import { startAssessmentsWorker } from '$lib/server/assessments/assessments.worker';
import { startEventsWorker } from '$lib/server/events/events.worker';
import { startAnnouncementsWorker } from '$lib/server/updates/announcements.worker';
import { startDigestWorker } from '$lib/server/updates/digest.worker';
import { eventsSite } from '$lib/server/events/events.http';
import { startNotificationsWorker } from '$lib/server/notifications/notifications.worker';
import { setNotificationsSite } from '$lib/server/notifications/notifications.service';
import { startPostsWorker } from '$lib/server/posts/posts.worker';
import { imageStoreFor } from '$lib/server/uploads/uploads';
import { startChampionsWorker } from '$lib/server/champions/champions.worker';
import { createSharedPages } from '$lib/server/cache/shared-pages';
import { postPageRule } from '$lib/server/posts/post-page.shared';
import { statementComparisonRule } from '$lib/server/statements/statements.shared';
import { unreadSlots } from '$lib/server/notifications/unread-slots';
import { startDecisionsWorker } from '$lib/server/decisions/decisions.worker';

export const init: ServerInit = async () => {
	const started = await startApp();
	pageCache().setEnabled(started.config.pageCache);
	await startAccounts(started, getRequestEvent);
	const stopWatching = await watchContentVersion(started.database);
	started.onStop.push(stopWatching);
	// Signed-in page views read their session from memory while this hears of every change.
	const stopWatchingSignIns = await watchSignIns(started.database);
	started.onStop.push(stopWatchingSignIns);
	const notificationsSite = { siteName: started.config.siteName, origin: started.config.origin };
	setNotificationsSite(notificationsSite);
	if (started.config.mailWorker) {
		const mailWorker = startMailWorker(started.database.db, {
			transport: createMailTransport(started.config)
		});
		started.onStop.push(() => mailWorker.stop());
		// Offers that run out, reminders, and forgetting visitors' details after their event.
		const eventsWorker = startEventsWorker(started.database.db, eventsSite);
		started.onStop.push(() => eventsWorker.stop());
		// Invited addresses and unsent answers, forgotten 30 days after their round closed.
		const assessmentsWorker = startAssessmentsWorker(started.database.db);
		started.onStop.push(() => assessmentsWorker.stop());
		// Unconfirmed sign-ups for email updates, forgotten after 7 days.
		const updatesWorker = startUpdatesWorker(started.database.db);
		started.onStop.push(() => updatesWorker.stop());
		// Announcements whose send time has come.
		const announcementsWorker = startAnnouncementsWorker(started.database.db, updatesSite());
		started.onStop.push(() => announcementsWorker.stop());
		// Each member's daily summary of notifications.
		const notificationsWorker = startNotificationsWorker(started.database.db, notificationsSite);
		started.onStop.push(() => notificationsWorker.stop());
		// The weekly digest, on the day and at the time administrators chose.
		const digestWorker = startDigestWorker(
			started.database.db,
			updatesSite(),
			started.config.timeZone
		);
		started.onStop.push(() => digestWorker.stop());
		// Images uploaded while writing a post that no post shows, a day later.
		const postsWorker = startPostsWorker(started.database.db, imageStoreFor(started.config));
		started.onStop.push(() => postsWorker.stop());
		// Requests to champions unanswered for 7 days, flagged to curators.
		const championsWorker = startChampionsWorker(started.database.db);
		started.onStop.push(() => championsWorker.stop());
		// Decisions: one reminder a day before closing; closing when the time comes.
		const decisionsWorker = startDecisionsWorker(started.database.db);
		started.onStop.push(() => decisionsWorker.stop());
	}
	process.once('sveltekit:shutdown', () => void stopApp());
};

let chain: Handle | undefined;

/** Built once, after init has read the configuration. */
function buildChain(): Handle {
	const { config } = app();
	const db = () => app().database.db;
	// Busy pages for signed-in members: one shared render, each member's own parts filled in.
	const sharedPages = createSharedPages({
		rules: [postPageRule(db), statementComparisonRule],
		layoutSlots: (user) => unreadSlots(db(), user)
	});
	// chainHandles, not SvelteKit's sequence: same order and options, without its per-handle
	// tracing span, event copy and AsyncLocalStorage scope on every request.
	return chainHandles(
		requestMetricsHandle(config.metrics.enabled),
		requestContextHandle(config.trustedProxies > 0),
		// Outside the security headers, so cached pages keep them.
		pageCacheHandle,
		securityHeadersHandle(config.origin.startsWith('https:')),
		// Cross-site form posts refused, except one-click unsubscribe from mail programs.
		originCheckHandle([ONE_CLICK_UNSUBSCRIBE_PATH]),
		// Before anything reads the body, a route parameter or a query value (see body-guard.ts).
		bodyGuardHandle(),
		sessionHandle,
		// Inside the page cache: a page that answers 400 is never kept.
		pageStatusHandle,
		sharedPages.handle
	);
}

export const handle: Handle = (input) => (chain ??= buildChain())(input);

export const handleError: HandleServerError = ({ error, event, status, message }) =>
	describeUnexpectedError(
		{
			error,
			status,
			message,
			path: loggablePath(event.url.pathname),
			requestId: event.locals.requestId
		},
		event.locals.log ?? logger
	);
