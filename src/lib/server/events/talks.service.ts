import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import { ForbiddenError } from '../refusals';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { Refusal, refusable as refusableAs } from '../refusals';
import { fieldErrors, wholeNumber, type FieldErrors, type FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { renderMail } from '../mail/templates';
import { websiteField } from '../organisations/organisations.schema';
import { absoluteUrl, eventPath, type EventsSite } from './events.links';
import { findEventRow, lockEventRow } from './events.repository';
import { standingOf } from './events.service';
import { refreshTalkSearch } from './events.search';
import type { Event, EventTalk, TalkStatus } from './events.tables';

export const TALK_TITLE_MAX = 120;
export const TALK_SUMMARY_MAX = 1_000;
export const TALK_MESSAGE_MAX = 1_000;
/** Offers one person may have waiting for one event. */
export const OFFERS_PER_PERSON = 2;

/** A member offers a talk. */
export const offerSchema = z.object({
	title: z
		.string({ error: 'Enter a title for your talk' })
		.trim()
		.min(1, 'Enter a title for your talk')
		.max(TALK_TITLE_MAX, `Title must be ${TALK_TITLE_MAX} characters or fewer`),
	summary: z
		.string({ error: 'Say what your talk is about' })
		.trim()
		.min(1, 'Say what your talk is about')
		.max(
			TALK_SUMMARY_MAX,
			`Summary must be ${TALK_SUMMARY_MAX.toLocaleString('en-GB')} characters or fewer`
		),
	minutes: wholeNumber({
		label: 'A talk’s length in minutes',
		min: 1,
		max: 20,
		empty: 5,
		tooSmall: 'A talk lasts at least 1 minute',
		tooBig: 'Lightning talks last at most 20 minutes'
	})
});

const decisionSchema = z.object({
	decision: z.enum(['accept', 'decline'], { error: 'Choose accept or decline' }),
	message: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim())
		.pipe(
			z
				.string()
				.max(
					TALK_MESSAGE_MAX,
					`Message must be ${TALK_MESSAGE_MAX.toLocaleString('en-GB')} characters or fewer`
				)
		)
		.transform((v) => v || null)
});

const linksSchema = z.object({
	slides: z.string().optional().default('').pipe(websiteField),
	video: z.string().optional().default('').pipe(websiteField)
});

type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
type Refused = { ok: false; reason: 'not_found' | 'closed' };

/** Refusals found inside a transaction roll it back and reach the caller as a reason. */
function refusable<T>(work: () => Promise<T>): Promise<T | Refused> {
	return refusableAs<T, Refused['reason']>(work);
}

/** Talks are offered until the event starts (and not to a cancelled one). */
function offersOpen(event: Event, now: string): boolean {
	return event.status === 'scheduled' && event.starts_at > now;
}

export interface TalkView {
	id: string;
	title: string;
	summary: string;
	minutes: number;
	status: TalkStatus;
	speaker: string | null;
	position: number | null;
	hostMessage: string | null;
	slidesUrl: string | null;
	videoUrl: string | null;
	mine: boolean;
}

export interface TalksView {
	eventId: string;
	title: string;
	/** Accepted talks in running order: the programme everyone sees. */
	programme: TalkView[];
	/** Offers waiting for the host, and decided ones, for the host's eyes. */
	offers: TalkView[];
	/** The viewer's own offers that are not in the programme. */
	mine: TalkView[];
	totalMinutes: number;
	can: { offer: boolean; decide: boolean };
}

function toView(row: EventTalk & { speaker_name: string | null }, viewerId: string): TalkView {
	return {
		id: row.id,
		title: row.title,
		summary: row.summary,
		minutes: row.minutes,
		status: row.status,
		speaker: row.speaker_name,
		position: row.position,
		hostMessage: row.host_message,
		slidesUrl: row.slides_url,
		videoUrl: row.video_url,
		mine: !!viewerId && row.speaker_id === viewerId
	};
}

/** The programme, and what this viewer may see and do about talks. */
export async function viewTalks(
	db: Kysely<DB>,
	viewer: Actor | null | undefined,
	eventId: string,
	now = nowIso()
): Promise<TalksView | undefined> {
	const event = await findEventRow(db, eventId);
	if (!event) return undefined;
	const standing = await standingOf(db, viewer, event);
	if (!standing.see) return undefined;
	const viewerId = isPerson(viewer) ? viewer.id : '';
	const rows = await db
		.selectFrom('event_talk as t')
		.leftJoin('app_user as s', 's.id', 't.speaker_id')
		.selectAll('t')
		.select('s.name as speaker_name')
		.where('t.event_id', '=', eventId)
		.orderBy('t.position')
		.orderBy('t.created_at')
		.execute();
	const talks = rows.map((r) => toView(r, viewerId));
	const programme = talks
		.filter((t) => t.status === 'accepted')
		.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
	return {
		eventId,
		title: event.title,
		programme,
		offers: standing.manage ? talks.filter((t) => t.status !== 'accepted') : [],
		mine: talks.filter((t) => t.mine && t.status !== 'accepted'),
		totalMinutes: programme.reduce((n, t) => n + t.minutes, 0),
		can: { offer: isPerson(viewer) && offersOpen(event, now), decide: standing.manage }
	};
}

async function talkEvent(trx: Transaction<DB>, eventId: string): Promise<Event> {
	const event = await lockEventRow(trx, eventId);
	if (!event) throw new Refusal<Refused['reason']>('not_found');
	return event;
}

async function findTalk(trx: Transaction<DB>, eventId: string, talkId: string) {
	const talk = await trx
		.selectFrom('event_talk')
		.selectAll()
		.where('id', '=', talkId)
		.where('event_id', '=', eventId)
		.executeTakeFirst();
	if (!talk) throw new Refusal<Refused['reason']>('not_found');
	return talk;
}

/** Any member offers a talk (title, summary, 5 minutes unless they say otherwise). */
export async function offerTalk(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | Refused> {
	assertCan(isPerson(actor), 'Sign in to offer a talk.');
	const speaker = actor;
	const parsed = offerSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await talkEvent(trx, eventId);
			if (!offersOpen(event, now)) throw new Refusal<Refused['reason']>('closed');
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			const waiting = await trx
				.selectFrom('event_talk')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('event_id', '=', eventId)
				.where('speaker_id', '=', speaker.id)
				.where('status', '=', 'offered')
				.executeTakeFirstOrThrow();
			if (Number(waiting.n) >= OFFERS_PER_PERSON) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: { title: `You already have ${OFFERS_PER_PERSON} offers waiting for the host` }
				};
			}
			await trx
				.insertInto('event_talk')
				.values({
					id: newId(),
					event_id: eventId,
					speaker_id: speaker.id,
					...parsed.data,
					status: 'offered',
					created_at: now,
					updated_at: now
				})
				.execute();
			return { ok: true as const };
		})
	);
}

/**
 * The host accepts a talk (it goes to the end of the running order) or declines it, with an
 * optional message; the speaker is told by email either way.
 */
export async function decideTalk(
	db: Kysely<DB>,
	site: EventsSite,
	actor: Actor | null | undefined,
	eventId: string,
	talkId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true; decision: 'accept' | 'decline' } | Invalid | Refused> {
	const parsed = decisionSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await talkEvent(trx, eventId);
			assertCan((await standingOf(trx, actor, event)).manage, 'Only the host can decide on talks.');
			const talk = await findTalk(trx, eventId, talkId);
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			if (talk.status === 'withdrawn') throw new Refusal<Refused['reason']>('closed');
			const { decision, message } = parsed.data;
			let position: number | null = null;
			if (decision === 'accept') {
				if (talk.status === 'accepted') position = talk.position;
				else {
					const last = await trx
						.selectFrom('event_talk')
						.select((eb) => eb.fn.max('position').as('last'))
						.where('event_id', '=', eventId)
						.where('status', '=', 'accepted')
						.executeTakeFirst();
					position = Number(last?.last ?? 0) + 1;
				}
			}
			await trx
				.updateTable('event_talk')
				.set({
					status: decision === 'accept' ? 'accepted' : 'declined',
					host_message: message,
					position,
					updated_at: now
				})
				.where('id', '=', talkId)
				.execute();
			await refreshTalkSearch(trx, talkId);
			const speaker = talk.speaker_id
				? await trx
						.selectFrom('app_user')
						.select(['id', 'name', 'email'])
						.where('id', '=', talk.speaker_id)
						.executeTakeFirst()
				: undefined;
			if (speaker) {
				const accepted = decision === 'accept';
				const body = renderMail({
					siteName: site.siteName,
					greeting: `Hello ${speaker.name},`,
					paragraphs: [
						accepted
							? `Good news: your talk “${talk.title}” is in the programme for ${event.title}.`
							: `Thank you for offering “${talk.title}” for ${event.title}. This time the host has not been able to include it.`,
						...(message ? [`The host says: ${message}`] : []),
						...(accepted
							? ['After the event, you can add a link to your slides or a video on the talks page.']
							: [])
					],
					action: {
						label: 'See the programme',
						url: absoluteUrl(site, `${eventPath(eventId)}/talks`)
					}
				});
				await enqueueMail(trx, {
					to: speaker.email,
					subject: accepted
						? `Your talk is in the programme: ${event.title}`
						: `About your talk for ${event.title}`,
					...body,
					kind: 'events.talk-decided',
					userId: speaker.id
				});
				await notify(trx, {
					recipientId: speaker.id,
					kind: 'talk-decision',
					subjectKey: `talk:${talkId}`,
					title: accepted
						? `Your talk “${talk.title}” is in the programme for ${event.title}`
						: `Your talk “${talk.title}” was not included in ${event.title}`,
					url: `${eventPath(eventId)}/talks`,
					actorId: isPerson(actor) ? actor.id : null
				});
			}
			return { ok: true as const, decision };
		})
	);
}

/** The host moves an accepted talk one place earlier or later in the running order. */
export async function moveTalk(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	talkId: string,
	direction: 'up' | 'down',
	now = nowIso()
): Promise<{ ok: true } | Refused> {
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await talkEvent(trx, eventId);
			assertCan(
				(await standingOf(trx, actor, event)).manage,
				'Only the host can change the order.'
			);
			const programme = await trx
				.selectFrom('event_talk')
				.select(['id', 'position'])
				.where('event_id', '=', eventId)
				.where('status', '=', 'accepted')
				.orderBy('position')
				.orderBy('created_at')
				.execute();
			const index = programme.findIndex((t) => t.id === talkId);
			if (index < 0) throw new Refusal<Refused['reason']>('not_found');
			const other = index + (direction === 'up' ? -1 : 1);
			if (other < 0 || other >= programme.length) return { ok: true as const };
			[programme[index], programme[other]] = [programme[other]!, programme[index]!];
			for (const [i, talk] of programme.entries()) {
				await trx
					.updateTable('event_talk')
					.set({ position: i + 1, updated_at: now })
					.where('id', '=', talk.id)
					.execute();
			}
			return { ok: true as const };
		})
	);
}

/** A speaker withdraws their own offer (or talk). */
export async function withdrawTalk(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	talkId: string,
	now = nowIso()
): Promise<{ ok: true } | Refused> {
	return refusable(() =>
		changeContent(db, async (trx) => {
			await talkEvent(trx, eventId);
			const talk = await findTalk(trx, eventId, talkId);
			if (!isPerson(actor) || talk.speaker_id !== actor.id) {
				throw new ForbiddenError('Only the speaker can withdraw a talk.');
			}
			await trx
				.updateTable('event_talk')
				.set({ status: 'withdrawn', position: null, updated_at: now })
				.where('id', '=', talkId)
				.execute();
			await refreshTalkSearch(trx, talkId);
			return { ok: true as const };
		})
	);
}

/** The speaker (or the host) adds links to the slides or a video of a talk in the programme. */
export async function addTalkLinks(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	eventId: string,
	talkId: string,
	values: FormValues,
	now = nowIso()
): Promise<{ ok: true } | Invalid | Refused> {
	const parsed = linksSchema.safeParse(values);
	return refusable(() =>
		changeContent(db, async (trx) => {
			const event = await talkEvent(trx, eventId);
			const talk = await findTalk(trx, eventId, talkId);
			const manage = (await standingOf(trx, actor, event)).manage;
			if (!manage && !(isPerson(actor) && talk.speaker_id === actor.id)) {
				throw new ForbiddenError('Only the speaker and the host can add links to a talk.');
			}
			if (talk.status !== 'accepted') throw new Refusal<Refused['reason']>('not_found');
			if (!parsed.success) {
				return {
					ok: false as const,
					reason: 'invalid' as const,
					errors: fieldErrors(parsed.error)
				};
			}
			await trx
				.updateTable('event_talk')
				.set({ slides_url: parsed.data.slides, video_url: parsed.data.video, updated_at: now })
				.where('id', '=', talkId)
				.execute();
			return { ok: true as const };
		})
	);
}
