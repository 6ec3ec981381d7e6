import type { Kysely, Transaction } from 'kysely';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { unknownTags } from '../library/tags.service';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import {
	canAnswerRequest,
	canAskChampion,
	canCloseRequest,
	canReadRequest
} from './champions.permissions';
import {
	findChampionById,
	findChampionOfUser,
	findRequest,
	insertEntry,
	insertRequest,
	listCuratorIds,
	listEntries,
	listRequestsOf,
	listUnfinishedRequestsOf,
	listUnflaggedWaitingBefore,
	moveRequest
} from './champions.repository';
import type { AskInput } from './champions.schema';
import { CONTACT_BY_LABELS, OUTCOME_LABELS } from './champions.schema';
import type { ChampionRequestStatus, RequestEntryKind, RequestOutcome } from './champions.tables';

/** Requests one member may send: 5 a day. */
export const REQUEST_RATE: RateLimitRule = { limit: 5, windowSeconds: 86_400 };
/** Messages one member may send on requests: 30 in 10 minutes. */
export const MESSAGE_RATE: RateLimitRule = { limit: 30, windowSeconds: 600 };
/** A request the champion has not answered after this many days is flagged to curators. */
export const UNANSWERED_DAYS = 7;
export const REQUESTS_PAGE_SIZE = 20;

export interface MailSite {
	siteName: string;
	origin: string;
}

export type RequestRefusal =
	| 'no-champion'
	| 'not-taking-requests'
	| 'own'
	| 'unknown-area'
	| 'rate-limited'
	| 'gone'
	| 'already-answered'
	| 'finished'
	| 'bad-suggestion';

export type RequestFailure = { ok: false; reason: RequestRefusal; retryAfterSeconds?: number };

/** The sentence a person reads for each refusal. */
export function describeRequestRefusal(failure: Omit<RequestFailure, 'ok'>): string {
	switch (failure.reason) {
		case 'no-champion':
			return 'We could not find that champion.';
		case 'not-taking-requests':
			return 'This champion is not taking requests just now. Your words are kept here: choose another champion on the champions page.';
		case 'own':
			return 'You cannot ask yourself. Choose another champion.';
		case 'unknown-area':
			return 'Choose a service area from the list, or leave it empty.';
		case 'rate-limited':
			return `You have sent a lot in a short time. Please wait ${describeWait(failure.retryAfterSeconds ?? 60)} and try again. Your words are kept.`;
		case 'gone':
			return 'We could not find that request.';
		case 'already-answered':
			return 'This request has already been answered, so nothing changed. The page shows where it is now.';
		case 'finished':
			return 'This request is closed or back with the person who asked, so nothing more can be added.';
		case 'bad-suggestion':
			return 'Choose a champion from the list: they must be taking requests, and not you.';
	}
}

function actorId(actor: Actor | null | undefined): string | null {
	return isPerson(actor) ? actor.id : null;
}

/** Emails the champion who now holds a request (new requests always come by email too). */
async function mailChampion(
	trx: Transaction<DB>,
	to: { userId: string; email: string; name: string },
	request: { id: string; askerName: string; passedOnBy?: string },
	site: MailSite
): Promise<void> {
	const link = `${site.origin}/champions/requests/${request.id}`;
	await enqueueMail(trx, {
		to: to.email,
		userId: to.userId,
		kind: 'champions.request',
		subject: `${request.askerName} asked you for help as a champion`,
		keptSubject: 'Someone asked you for help as a champion',
		text: [
			`Hello ${to.name},`,
			'',
			request.passedOnBy
				? `${request.passedOnBy} passed on a request from ${request.askerName} to you, as a co-production champion on ${site.siteName}.`
				: `${request.askerName} asked you for help as a co-production champion on ${site.siteName}.`,
			'',
			`Read it, and accept, pass it on or decline it here: ${link}`,
			'',
			'Your contact details stay private until you choose to share them on the request.'
		].join('\n')
	});
}

/**
 * A member asks a confirmed, active champion for help. The champion is told in the site and by
 * email; the request page shows its state to both.
 */
export async function askChampion(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	championId: string,
	input: Pick<AskInput, 'body' | 'serviceArea'>,
	site: MailSite,
	now = nowIso()
): Promise<{ ok: true; id: string } | RequestFailure> {
	assertCan(canAskChampion(actor), 'Sign in to ask a champion.');
	const champion = await findChampionById(db, championId);
	if (!champion) return { ok: false, reason: 'no-champion' };
	if (champion.user_id === actor.id) return { ok: false, reason: 'own' };
	if (champion.status !== 'confirmed') return { ok: false, reason: 'not-taking-requests' };
	if (input.serviceArea && (await unknownTags(db, 'service-area', [input.serviceArea])).length)
		return { ok: false, reason: 'unknown-area' };
	const limited = await consumeRateLimit(db, `champion-request:user:${actor.id}`, REQUEST_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			// Checked again inside the write: the champion may have paused a moment ago.
			const fresh = await findChampionById(trx, championId);
			if (fresh?.status !== 'confirmed') throw new Refusal('not-taking-requests' as const);
			await insertRequest(trx, {
				id,
				asker_id: actor.id,
				champion_id: championId,
				service_area_id: input.serviceArea || null,
				body: input.body,
				status: 'open',
				waiting_since: now,
				flagged_at: null,
				contact_shared_at: null,
				outcome: null,
				outcome_note: null,
				closed_at: null,
				created_at: now,
				updated_at: now
			});
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'asked',
				champion_id: championId,
				created_at: now
			});
			const user = await trx
				.selectFrom('app_user')
				.select(['id', 'email', 'name'])
				.where('id', '=', fresh.user_id)
				.executeTakeFirstOrThrow();
			await notify(trx, {
				recipientId: user.id,
				kind: 'champion-request',
				subjectKey: `champion-request:${id}`,
				title: `${actor.name} asked you for help as a champion`,
				url: `/champions/requests/${id}`,
				actorId: actor.id
			});
			await mailChampion(trx, { userId: user.id, ...user }, { id, askerName: actor.name }, site);
			return { ok: true as const, id };
		})
	);
}

const ENTRY_WORDS: Record<RequestEntryKind, (who: string, champion: string) => string> = {
	asked: (who, champion) => `${who} asked ${champion}.`,
	suggested: (who, champion) => `${who} passed it on to ${champion}.`,
	accepted: (who) => `${who} accepted.`,
	declined: (who) => `${who} declined.`,
	message: (who) => `${who} wrote:`,
	'contact-shared': (who) => `${who} shared their contact details.`,
	returned: (who) => `${who} stepped down as a champion, so the request came back to you.`,
	flagged: () => 'Nobody had answered for 7 days, so curators were told.',
	closed: (who) => `${who} closed the request.`
};

const STATUS_WORDS: Record<ChampionRequestStatus, string> = {
	open: 'Waiting for the champion',
	accepted: 'Accepted',
	declined: 'Declined',
	returned: 'Back with the person who asked',
	closed: 'Closed'
};

export function requestStatusLabel(status: ChampionRequestStatus): string {
	return STATUS_WORDS[status];
}

/** A request as its asker or its champion sees it, or undefined (anyone else is refused). */
export async function viewRequest(db: Kysely<DB>, actor: Actor | null | undefined, id: string) {
	const request = await findRequest(db, id);
	if (!request) return undefined;
	assertCan(
		canReadRequest(actor, request),
		'Only the person who asked and the champion they asked can read a request.'
	);
	const entries = await listEntries(db, id);
	const asChampion = canAnswerRequest(actor, request);
	const asAsker = actor.id === request.asker_id;
	const talking = request.status === 'open' || request.status === 'accepted';
	const contact =
		request.contact_shared_at && request.champion_name
			? {
					name: request.champion_name,
					email: request.champion_email,
					phone: request.champion_phone,
					prefers: CONTACT_BY_LABELS[request.champion_contact_preference ?? 'colab']
				}
			: null;
	return {
		id: request.id,
		body: request.body,
		status: request.status,
		statusLabel: STATUS_WORDS[request.status],
		askerName: request.asker_name,
		/** Who may not be suggested: the asker and the champion holding it. */
		excludedFromSuggestions: [request.asker_id, request.champion_user_id].filter(
			(id): id is string => !!id
		),
		championId: request.champion_id,
		championName: request.champion_name,
		createdAt: request.created_at,
		flagged: !!request.flagged_at,
		serviceAreaId: request.service_area_id,
		outcome: request.outcome,
		outcomeLabel: request.outcome ? OUTCOME_LABELS[request.outcome] : null,
		outcomeNote: request.outcome_note,
		asChampion,
		asAsker,
		contact,
		can: {
			answer: asChampion && request.status === 'open',
			shareContact: asChampion && talking && !request.contact_shared_at,
			message: talking,
			close: asAsker && request.status !== 'closed'
		},
		entries: entries.map((e) => ({
			id: e.id,
			kind: e.kind,
			body: e.body,
			createdAt: e.created_at,
			mine: e.actor_id === actor.id,
			words: ENTRY_WORDS[e.kind](
				e.actor_id === actor.id ? 'You' : (e.actor_name ?? 'A former member'),
				e.champion_name ?? 'a champion'
			)
		}))
	};
}

export type RequestView = NonNullable<Awaited<ReturnType<typeof viewRequest>>>;

/** The requests a member asked, and those they hold as a champion. */
export async function listMyRequests(db: Kysely<DB>, actor: Actor | null | undefined) {
	assertCan(isPerson(actor), 'Sign in to see your requests.');
	const champion = await findChampionOfUser(db, actor.id);
	const page = { limit: 100, offset: 0 };
	const [asked, received] = await Promise.all([
		listRequestsOf(db, { askerId: actor.id }, page),
		champion ? listRequestsOf(db, { championId: champion.id }, page) : Promise.resolve([])
	]);
	const shape = (r: (typeof asked)[number]) => ({
		...r,
		statusLabel: STATUS_WORDS[r.status]
	});
	return { asked: asked.map(shape), received: received.map(shape), isChampion: !!champion };
}

async function tell(
	trx: Transaction<DB>,
	recipientId: string | null,
	request: { id: string },
	title: string,
	actor: SessionUser | null
) {
	if (!recipientId) return;
	await notify(trx, {
		recipientId,
		kind: 'champion-request',
		subjectKey: `champion-request:${request.id}`,
		title,
		url: `/champions/requests/${request.id}`,
		actorId: actor?.id ?? null
	});
}

/** The champion accepts a request waiting for them; the asker is told. Only once. */
export async function acceptRequest(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(canAnswerRequest(actor, request), 'Only the champion asked can accept this request.');
	if (request.status !== 'open') return { ok: false, reason: 'already-answered' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			const moved = await moveRequest(
				trx,
				id,
				['open'],
				{ status: 'accepted', updated_at: now },
				request.champion_id!
			);
			if (!moved) throw new Refusal('already-answered' as const);
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'accepted',
				created_at: now
			});
			await tell(trx, request.asker_id, request, `${actor.name} accepted your request`, actor);
			return { ok: true as const };
		})
	);
}

/** The champion declines with a note the asker reads. */
export async function declineRequest(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	note: string,
	now = nowIso()
): Promise<{ ok: true } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(canAnswerRequest(actor, request), 'Only the champion asked can decline this request.');
	if (request.status !== 'open') return { ok: false, reason: 'already-answered' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			const moved = await moveRequest(
				trx,
				id,
				['open'],
				{ status: 'declined', updated_at: now },
				request.champion_id!
			);
			if (!moved) throw new Refusal('already-answered' as const);
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'declined',
				body: note,
				created_at: now
			});
			await tell(
				trx,
				request.asker_id,
				request,
				`${actor.name} declined your request, with a note`,
				actor
			);
			return { ok: true as const };
		})
	);
}

/**
 * The champion passes the request to another confirmed, active champion (not themself): it
 * moves to them, they are told in the site and by email, and the asker is told.
 */
export async function suggestChampion(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	input: { championId: string; note: string },
	site: MailSite,
	now = nowIso()
): Promise<{ ok: true; championName: string } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(canAnswerRequest(actor, request), 'Only the champion asked can pass this request on.');
	if (request.status !== 'open') return { ok: false, reason: 'already-answered' };
	const next = await findChampionById(db, input.championId);
	if (
		!next ||
		next.status !== 'confirmed' ||
		next.user_id === actor.id ||
		next.user_id === request.asker_id ||
		next.id === request.champion_id
	)
		return { ok: false, reason: 'bad-suggestion' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			const fresh = await findChampionById(trx, next.id);
			if (fresh?.status !== 'confirmed') throw new Refusal('bad-suggestion' as const);
			const moved = await moveRequest(
				trx,
				id,
				['open'],
				// A new champion: the 7 days start again, and the old flag no longer applies.
				{ champion_id: next.id, waiting_since: now, flagged_at: null, updated_at: now },
				request.champion_id!
			);
			if (!moved) throw new Refusal('already-answered' as const);
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'suggested',
				body: input.note || null,
				champion_id: next.id,
				created_at: now
			});
			const user = await trx
				.selectFrom('app_user')
				.select(['id', 'email', 'name'])
				.where('id', '=', next.user_id)
				.executeTakeFirstOrThrow();
			await tell(
				trx,
				user.id,
				request,
				`${actor.name} passed on a request from ${request.asker_name} to you`,
				actor
			);
			await mailChampion(
				trx,
				{ userId: user.id, ...user },
				{ id, askerName: request.asker_name, passedOnBy: actor.name },
				site
			);
			await tell(
				trx,
				request.asker_id,
				request,
				`${actor.name} passed your request on to ${next.name}`,
				actor
			);
			return { ok: true as const, championName: next.name };
		})
	);
}

/** The asker or the champion writes on the request, while it is open or accepted. */
export async function sendMessage(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	body: string,
	now = nowIso()
): Promise<{ ok: true } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(
		canReadRequest(actor, request),
		'Only the person who asked and the champion they asked can write on a request.'
	);
	if (request.status !== 'open' && request.status !== 'accepted')
		return { ok: false, reason: 'finished' };
	const limited = await consumeRateLimit(db, `champion-message:user:${actor.id}`, MESSAGE_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			const moved = await moveRequest(trx, id, ['open', 'accepted'], { updated_at: now });
			if (!moved) throw new Refusal('finished' as const);
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'message',
				body,
				created_at: now
			});
			const other = actor.id === request.asker_id ? request.champion_user_id : request.asker_id;
			await tell(trx, other, request, `${actor.name} wrote on a request`, actor);
			return { ok: true as const };
		})
	);
}

/** The champion shares their contact details with the asker, on this request only. */
export async function shareContact(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(
		canAnswerRequest(actor, request),
		'Only the champion asked can share their contact details here.'
	);
	if (request.status !== 'open' && request.status !== 'accepted')
		return { ok: false, reason: 'finished' };
	if (request.contact_shared_at) return { ok: true };
	await db.transaction().execute(async (trx) => {
		const moved = await moveRequest(
			trx,
			id,
			['open', 'accepted'],
			{ contact_shared_at: now, updated_at: now },
			request.champion_id!
		);
		if (!moved) return;
		await insertEntry(trx, {
			id: newId(),
			request_id: id,
			actor_id: actor.id,
			kind: 'contact-shared',
			created_at: now
		});
		await tell(
			trx,
			request.asker_id,
			request,
			`${actor.name} shared their contact details with you`,
			actor
		);
	});
	return { ok: true };
}

/** The asker closes their request and says whether it helped. */
export async function closeRequest(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	input: { outcome: RequestOutcome; note: string },
	now = nowIso()
): Promise<{ ok: true } | RequestFailure> {
	const request = await findRequest(db, id);
	if (!request) return { ok: false, reason: 'gone' };
	assertCan(canCloseRequest(actor, request), 'Only the person who asked can close a request.');
	if (request.status === 'closed') return { ok: false, reason: 'finished' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			const moved = await moveRequest(trx, id, ['open', 'accepted', 'declined', 'returned'], {
				status: 'closed',
				outcome: input.outcome,
				outcome_note: input.note || null,
				closed_at: now,
				updated_at: now
			});
			if (!moved) throw new Refusal('finished' as const);
			await insertEntry(trx, {
				id: newId(),
				request_id: id,
				actor_id: actor.id,
				kind: 'closed',
				body: input.note || null,
				created_at: now
			});
			await tell(
				trx,
				request.champion_user_id,
				request,
				`${actor.name} closed their request: ${OUTCOME_LABELS[input.outcome].toLowerCase()}`,
				actor
			);
			return { ok: true as const };
		})
	);
}

/**
 * When a champion steps down: the requests they hold and have not finished go back to their
 * askers, each with a note and a notification, so they can ask someone else.
 */
export async function returnOpenRequests(
	trx: Transaction<DB>,
	actor: Actor | null | undefined,
	championId: string,
	now = nowIso()
): Promise<number> {
	const open = await listUnfinishedRequestsOf(trx, championId);
	for (const request of open) {
		const moved = await moveRequest(trx, request.id, ['open', 'accepted'], {
			status: 'returned',
			updated_at: now
		});
		if (!moved) continue;
		await insertEntry(trx, {
			id: newId(),
			request_id: request.id,
			actor_id: actorId(actor),
			kind: 'returned',
			created_at: now
		});
		await tell(
			trx,
			request.asker_id,
			request,
			'Your champion stepped down, so your request came back to you. You can ask another champion.',
			null
		);
	}
	return open.length;
}

/**
 * Flags requests nobody answered for 7 days and tells curators, each request once however
 * many instances run this at the same moment: each is claimed by a conditional update.
 */
export async function flagUnansweredRequests(
	db: Kysely<DB>,
	now = new Date()
): Promise<{ flagged: number }> {
	const cutoff = new Date(now.getTime() - UNANSWERED_DAYS * 86_400_000).toISOString();
	const at = now.toISOString();
	const candidates = await listUnflaggedWaitingBefore(db, cutoff, 200);
	let flagged = 0;
	for (const { id } of candidates) {
		const claimed = await db.transaction().execute(async (trx) => {
			const result = await trx
				.updateTable('champion_request')
				.set({ flagged_at: at })
				.where('id', '=', id)
				.where('status', '=', 'open')
				.where('flagged_at', 'is', null)
				.where('waiting_since', '<', cutoff)
				.executeTakeFirst();
			if (Number(result.numUpdatedRows) !== 1) return false;
			await insertEntry(trx, { id: newId(), request_id: id, kind: 'flagged', created_at: at });
			for (const curator of await listCuratorIds(trx))
				await notify(trx, {
					recipientId: curator.id,
					kind: 'champion-request',
					subjectKey: 'champions:unanswered',
					title: 'A request to a champion has waited 7 days without an answer',
					url: '/champions/review#unanswered',
					actorId: null
				});
			return true;
		});
		if (claimed) flagged++;
	}
	return { flagged };
}
