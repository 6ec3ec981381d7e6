import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { newId, nowIso } from '../ids';
import { enqueueMail, withListUnsubscribe, type OutgoingMail } from '../mail/outbox';
import {
	consumeRateLimit,
	rateLimitKey,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { FieldErrors } from '../forms';
import {
	clearExpiredChanges,
	deleteExpiredSignUps,
	deleteLinksBefore,
	deleteSubscriber,
	findSubscriberByConfirmHash,
	findSubscriberByEmail,
	findSubscriberByLinkHash,
	findSuppression,
	insertLink,
	insertSubscriber,
	liftSuppression,
	listRecipients,
	listSubscriberTopics,
	replaceSubscriberTopics,
	suppress,
	updateSubscriber
} from './updates.repository';
import type { SubscriberStatus, SuppressionReason, UpdateSubscriber } from './updates.tables';
import { listTopics, type UpdateTopic } from './updates.topics';
import {
	confirmUpdatesMail,
	subscriberLinks,
	welcomeMail,
	type UpdatesSite
} from './updates.mails';
import {
	canBlockAddresses,
	canManageSubscriptionOf,
	canSubscribeFromAccount
} from './updates.permissions';
import type { ChooseTopicsInput, SignUpForUpdatesInput } from './updates.schema';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Unconfirmed sign-ups (and unconfirmed changes of topics) are forgotten after this. */
export const CONFIRM_LIFETIME_DAYS = 7;
/** A mailed preferences or unsubscribe link works this long (old mails' links stop). */
export const LINK_LIFETIME_DAYS = 400;

/**
 * The form sends mail to whatever address is typed, so it is limited per client and per
 * address. Over the address's limit nothing is sent and the page answers as usual, so a
 * repeated sign-up cannot flood someone's inbox and the answer says nothing about the address.
 */
export const UPDATES_RATE_LIMITS: { ip: RateLimitRule; email: RateLimitRule } = {
	ip: { limit: 20, windowSeconds: 60 * 60 },
	email: { limit: 3, windowSeconds: 24 * 60 * 60 }
};

/** Hashes a mailed link's secret: only the hash is stored, so a copy of the database opens nothing. */
export function hashUpdatesToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

/** How the suppression list names an address: a hash of it lower-cased, never the address. */
export function hashAddress(email: string): string {
	return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** Whether a token from an address could be one of ours (cheap check before any query). */
function plausibleToken(token: string): boolean {
	return /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

function parseTopics(json: string | null): string[] {
	if (!json) return [];
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

/** Topics in the order they are shown; keys no longer offered (a deleted format) are dropped. */
function describeTopics(all: UpdateTopic[], keys: readonly string[]): UpdateTopic[] {
	const chosen = new Set(keys);
	return all.filter((t) => chosen.has(t.key));
}

function checkTopics(all: UpdateTopic[], keys: readonly string[]): FieldErrors | undefined {
	const known = new Set(all.map((t) => t.key));
	if (keys.some((k) => !known.has(k)))
		return { topics: 'One of the topics is no longer offered. Choose again from the list.' };
	return undefined;
}

/**
 * A new private link (preferences and unsubscribe) for one mail to a subscriber. Every update
 * mail gets its own; only its hash is stored.
 */
export async function issueSubscriberLink(
	db: Kysely<DB> | Transaction<DB>,
	subscriberId: string,
	now = nowIso()
): Promise<string> {
	const token = newToken();
	await insertLink(db, {
		token_hash: hashUpdatesToken(token),
		subscriber_id: subscriberId,
		created_at: now
	});
	return token;
}

/**
 * Makes an update mail for a subscriber: a fresh private link, and the List-Unsubscribe headers
 * that let mail programs unsubscribe in one click (RFC 8058). Later senders (digest,
 * announcements) build every update mail through this.
 */
export async function composeUpdateMail(
	db: Kysely<DB> | Transaction<DB>,
	site: UpdatesSite,
	subscriberId: string,
	build: (token: string) => OutgoingMail,
	now = nowIso()
): Promise<OutgoingMail> {
	const token = await issueSubscriberLink(db, subscriberId, now);
	return withListUnsubscribe(build(token), subscriberLinks(site, token).unsubscribe);
}

export type SignUpResult =
	| { ok: true }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/**
 * A visitor asks for email updates. A confirmation link goes to the address (double opt-in);
 * nothing changes until it is used. The answer is the same whether or not the address is
 * signed up, suppressed or over its limit, so the form tells nobody about anyone's address.
 */
export async function signUpForUpdates(
	db: Kysely<DB>,
	site: UpdatesSite,
	input: SignUpForUpdatesInput,
	ip: string,
	now = new Date()
): Promise<SignUpResult> {
	const all = await listTopics(db);
	const errors = checkTopics(all, input.topics);
	if (errors) return { ok: false, reason: 'invalid', errors };
	const byClient = await consumeRateLimit(
		db,
		rateLimitKey('updates-sign-up', 'ip', ip),
		UPDATES_RATE_LIMITS.ip,
		now
	);
	if (!byClient.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: byClient.retryAfterSeconds };
	const byAddress = await consumeRateLimit(
		db,
		rateLimitKey('updates-sign-up', 'email', input.email),
		UPDATES_RATE_LIMITS.email,
		now
	);
	if (!byAddress.ok) return { ok: true };
	if ((await findSuppression(db, hashAddress(input.email))) === 'blocked') return { ok: true };

	const at = now.toISOString();
	const token = newToken();
	const pending = {
		pending_topics: JSON.stringify([...new Set(input.topics)]),
		confirm_token_hash: hashUpdatesToken(token),
		confirm_expires_at: new Date(now.getTime() + CONFIRM_LIFETIME_DAYS * DAY_MS).toISOString(),
		updated_at: at
	};
	try {
		await db.transaction().execute(async (trx) => {
			const existing = await findSubscriberByEmail(trx, input.email);
			if (existing) await updateSubscriber(trx, existing.id, pending);
			else
				await insertSubscriber(trx, {
					id: newId(),
					email: input.email,
					email_hash: hashAddress(input.email),
					status: 'pending',
					consented_at: null,
					consent_method: null,
					created_at: at,
					...pending
				});
			await enqueueMail(
				trx,
				confirmUpdatesMail(
					site,
					input.email,
					token,
					describeTopics(all, input.topics),
					CONFIRM_LIFETIME_DAYS
				)
			);
		});
	} catch (error) {
		// The same address signed up at the same moment elsewhere: that one sends the link.
		if (!isUniqueViolation(error)) throw error;
	}
	return { ok: true };
}

export type LinkRefusal = 'not-found' | 'expired' | 'blocked';

/** What a confirmation link would confirm, for the page with the "Confirm" button. */
export async function viewConfirmation(
	db: Kysely<DB>,
	token: string,
	now = nowIso()
): Promise<
	{ ok: true; email: string; topics: UpdateTopic[] } | { ok: false; reason: LinkRefusal }
> {
	if (!plausibleToken(token)) return { ok: false, reason: 'not-found' };
	const subscriber = await findSubscriberByConfirmHash(db, hashUpdatesToken(token));
	if (!subscriber) return { ok: false, reason: 'not-found' };
	if (!subscriber.confirm_expires_at || subscriber.confirm_expires_at < now)
		return { ok: false, reason: 'expired' };
	const all = await listTopics(db);
	return {
		ok: true,
		email: subscriber.email,
		topics: describeTopics(all, parseTopics(subscriber.pending_topics))
	};
}

/**
 * Confirms a sign-up (the POST behind the "Confirm" button, never the link itself, so a mail
 * scanner opening links confirms nothing). The chosen topics replace any earlier ones, an
 * earlier "unsubscribed" is lifted (the person chose again), and a welcome mail goes out.
 * Returns a private link for the preferences page.
 */
export async function confirmUpdates(
	db: Kysely<DB>,
	site: UpdatesSite,
	token: string,
	now = nowIso()
): Promise<{ ok: true; token: string } | { ok: false; reason: LinkRefusal }> {
	if (!plausibleToken(token)) return { ok: false, reason: 'not-found' };
	const all = await listTopics(db);
	return db.transaction().execute(async (trx) => {
		const subscriber = await findSubscriberByConfirmHash(trx, hashUpdatesToken(token));
		if (!subscriber) return { ok: false, reason: 'not-found' } as const;
		if (!subscriber.confirm_expires_at || subscriber.confirm_expires_at < now)
			return { ok: false, reason: 'expired' } as const;
		const emailHash = hashAddress(subscriber.email);
		if ((await findSuppression(trx, emailHash)) === 'blocked')
			return { ok: false, reason: 'blocked' } as const;
		const topics = describeTopics(all, parseTopics(subscriber.pending_topics)).map((t) => t.key);
		// Claimed by clearing the hash, so a double press confirms (and mails) once.
		const claimed = await trx
			.updateTable('update_subscriber')
			.set({
				status: 'subscribed',
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				consented_at: now,
				consent_method: 'form',
				updated_at: now
			})
			.where('id', '=', subscriber.id)
			.where('confirm_token_hash', '=', subscriber.confirm_token_hash)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) === 0) return { ok: false, reason: 'not-found' } as const;
		await replaceSubscriberTopics(trx, subscriber.id, topics);
		await liftSuppression(trx, emailHash, 'unsubscribed');
		const mail = await composeUpdateMail(
			trx,
			site,
			subscriber.id,
			(t) => welcomeMail(site, subscriber.email, t, describeTopics(all, topics)),
			now
		);
		await enqueueMail(trx, mail);
		return { ok: true, token: await issueSubscriberLink(trx, subscriber.id, now) } as const;
	});
}

/** A subscription as its owner sees it. */
export interface SubscriptionView {
	email: string;
	status: SubscriberStatus | 'none';
	topics: string[];
	/** Set when the address is on the suppression list. */
	suppressed: SuppressionReason | null;
}

async function viewOf(
	db: Kysely<DB> | Transaction<DB>,
	subscriber: UpdateSubscriber
): Promise<SubscriptionView> {
	return {
		email: subscriber.email,
		status: subscriber.status,
		topics: subscriber.status === 'subscribed' ? await listSubscriberTopics(db, subscriber.id) : [],
		suppressed: (await findSuppression(db, hashAddress(subscriber.email))) ?? null
	};
}

async function subscriberFromLink(
	db: Kysely<DB> | Transaction<DB>,
	token: string,
	now: string
): Promise<UpdateSubscriber | undefined> {
	if (!plausibleToken(token)) return undefined;
	const cutoff = new Date(Date.parse(now) - LINK_LIFETIME_DAYS * DAY_MS).toISOString();
	const row = await db
		.selectFrom('update_link')
		.select('created_at')
		.where('token_hash', '=', hashUpdatesToken(token))
		.executeTakeFirst();
	if (!row || row.created_at < cutoff) return undefined;
	return findSubscriberByLinkHash(db, hashUpdatesToken(token));
}

/** The preferences page behind a mailed link, or undefined for a link that is not ours. */
export async function viewPreferences(
	db: Kysely<DB>,
	token: string,
	now = nowIso()
): Promise<SubscriptionView | undefined> {
	const subscriber = await subscriberFromLink(db, token, now);
	return subscriber ? viewOf(db, subscriber) : undefined;
}

export type ChangeResult =
	| { ok: true }
	| { ok: false; reason: 'not-found' | 'unsubscribed' | 'blocked' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** Changes a subscriber's topics from their preferences page. */
export async function changeTopicsByLink(
	db: Kysely<DB>,
	token: string,
	input: ChooseTopicsInput,
	now = nowIso()
): Promise<ChangeResult> {
	const errors = checkTopics(await listTopics(db), input.topics);
	if (errors) return { ok: false, reason: 'invalid', errors };
	return db.transaction().execute(async (trx) => {
		const subscriber = await subscriberFromLink(trx, token, now);
		if (!subscriber) return { ok: false, reason: 'not-found' } as const;
		const suppressed = await findSuppression(trx, hashAddress(subscriber.email));
		if (suppressed === 'blocked') return { ok: false, reason: 'blocked' } as const;
		// Getting mail again after unsubscribing takes a fresh double opt-in (the form).
		if (subscriber.status !== 'subscribed' || suppressed)
			return { ok: false, reason: 'unsubscribed' } as const;
		await replaceSubscriberTopics(trx, subscriber.id, input.topics);
		await updateSubscriber(trx, subscriber.id, { updated_at: now });
		return { ok: true } as const;
	});
}

async function unsubscribeRow(
	trx: Transaction<DB>,
	subscriber: UpdateSubscriber,
	now: string
): Promise<{ already: boolean }> {
	const already = subscriber.status === 'unsubscribed';
	await replaceSubscriberTopics(trx, subscriber.id, []);
	await updateSubscriber(trx, subscriber.id, {
		status: 'unsubscribed',
		pending_topics: null,
		confirm_token_hash: null,
		confirm_expires_at: null,
		updated_at: now
	});
	await suppress(trx, hashAddress(subscriber.email), 'unsubscribed', now);
	return { already };
}

/**
 * Stops every update to the address behind a mailed link: the one-click POST from a mail
 * program (RFC 8058) and the "Unsubscribe" button. Works without signing in; using it twice is
 * fine. The address goes on the suppression list.
 */
export async function unsubscribeByLink(
	db: Kysely<DB>,
	token: string,
	now = nowIso()
): Promise<{ ok: true; already: boolean; email: string } | { ok: false; reason: 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const subscriber = await subscriberFromLink(trx, token, now);
		if (!subscriber) return { ok: false, reason: 'not-found' } as const;
		const { already } = await unsubscribeRow(trx, subscriber, now);
		return { ok: true, already, email: subscriber.email } as const;
	});
}

/**
 * Forgets the address behind a mailed link: the subscriber, their topics and links. Only a
 * hash of the address stays, on the suppression list, so it is never mailed updates again.
 */
export async function removeAddressByLink(
	db: Kysely<DB>,
	token: string,
	now = nowIso()
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const subscriber = await subscriberFromLink(trx, token, now);
		if (!subscriber) return { ok: false, reason: 'not-found' } as const;
		await suppress(trx, hashAddress(subscriber.email), 'unsubscribed', now);
		await deleteSubscriber(trx, subscriber.id);
		return { ok: true } as const;
	});
}

/** A member's subscription, found by their account's address. */
export async function viewMemberUpdates(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	email: string
): Promise<SubscriptionView> {
	assertCan(canManageSubscriptionOf(actor, email), 'You can only see your own email updates.');
	const subscriber = await findSubscriberByEmail(db, email.toLowerCase());
	if (subscriber) return viewOf(db, subscriber);
	return {
		email: email.toLowerCase(),
		status: 'none',
		topics: [],
		suppressed: (await findSuppression(db, hashAddress(email))) ?? null
	};
}

/**
 * A member chooses their topics from their account. Their address is already confirmed, so no
 * link is needed; choosing again lifts an earlier "unsubscribed", never an administrator's
 * block.
 */
export async function chooseMemberTopics(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	email: string,
	input: ChooseTopicsInput,
	now = nowIso()
): Promise<ChangeResult> {
	assertCan(canManageSubscriptionOf(actor, email), 'You can only change your own email updates.');
	assertCan(
		canSubscribeFromAccount(actor),
		'Confirm your email address first: we sent you a link when you signed up.'
	);
	const address = email.toLowerCase();
	const errors = checkTopics(await listTopics(db), input.topics);
	if (errors) return { ok: false, reason: 'invalid', errors };
	return db.transaction().execute(async (trx) => {
		const emailHash = hashAddress(address);
		if ((await findSuppression(trx, emailHash)) === 'blocked')
			return { ok: false, reason: 'blocked' } as const;
		const subscribed = {
			status: 'subscribed' as const,
			pending_topics: null,
			confirm_token_hash: null,
			confirm_expires_at: null,
			updated_at: now
		};
		const existing = await findSubscriberByEmail(trx, address);
		let id = existing?.id;
		if (existing) {
			await updateSubscriber(trx, existing.id, {
				...subscribed,
				...(existing.status === 'subscribed'
					? {}
					: { consented_at: now, consent_method: 'account' as const })
			});
		} else {
			id = newId();
			await insertSubscriber(trx, {
				id,
				email: address,
				email_hash: emailHash,
				consented_at: now,
				consent_method: 'account',
				created_at: now,
				...subscribed
			});
		}
		await replaceSubscriberTopics(trx, id!, input.topics);
		await liftSuppression(trx, emailHash, 'unsubscribed');
		return { ok: true } as const;
	});
}

/** A member stops every update from their account. */
export async function stopMemberUpdates(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	email: string,
	now = nowIso()
): Promise<void> {
	assertCan(canManageSubscriptionOf(actor, email), 'You can only change your own email updates.');
	await db.transaction().execute(async (trx) => {
		const subscriber = await findSubscriberByEmail(trx, email.toLowerCase());
		if (subscriber) await unsubscribeRow(trx, subscriber, now);
		else await suppress(trx, hashAddress(email), 'unsubscribed', now);
	});
}

/** Every topic offered now (for the forms). */
export async function topicsOffered(db: Kysely<DB>): Promise<UpdateTopic[]> {
	return listTopics(db);
}

/**
 * Whether updates may be mailed to this address now: subscribed and not suppressed. Senders
 * (digest, announcements, imports) check this; the suppression list wins over everything.
 */
export async function mayMailUpdates(
	db: Kysely<DB> | Transaction<DB>,
	email: string
): Promise<boolean> {
	const subscriber = await findSubscriberByEmail(db, email.trim().toLowerCase());
	if (subscriber?.status !== 'subscribed') return false;
	return !(await findSuppression(db, hashAddress(email)));
}

/**
 * One page of the subscribers to mail about any of `topics` (never a suppressed address), for
 * the senders of digests and announcements. Pass the last id of a page as `after` for the next.
 */
export async function listUpdateRecipients(
	db: Kysely<DB> | Transaction<DB>,
	topics: readonly string[],
	page: { after?: string; limit: number }
): Promise<Array<{ id: string; email: string }>> {
	return listRecipients(db, topics, page);
}

/**
 * Blocks an address (for administrators' screens and imports, still to come): it is
 * unsubscribed and never mailed updates again, and only an administrator can lift it.
 */
export async function blockAddress(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	email: string,
	now = nowIso()
): Promise<void> {
	assertCan(canBlockAddresses(actor), 'Only administrators can block an address.');
	await db.transaction().execute(async (trx) => {
		const subscriber = await findSubscriberByEmail(trx, email.trim().toLowerCase());
		if (subscriber) await unsubscribeRow(trx, subscriber, now);
		await suppress(trx, hashAddress(email), 'blocked', now);
	});
}

/** Forgets unconfirmed sign-ups after 7 days, and mailed links past their lifetime. */
export async function pruneUpdates(db: Kysely<DB>, now = nowIso()) {
	const linkCutoff = new Date(Date.parse(now) - LINK_LIFETIME_DAYS * DAY_MS).toISOString();
	return {
		expiredSignUps: await deleteExpiredSignUps(db, now),
		expiredChanges: await clearExpiredChanges(db, now),
		oldLinks: await deleteLinksBefore(db, linkCutoff)
	};
}
