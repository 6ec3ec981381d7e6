import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { plural } from '$lib/plural';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { formatDeadline, localToUtc, utcToLocal } from '../events/event-time';
import type { FieldErrors, FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import { renderMarkdown } from '../markdown';
import { notify } from '../notifications/notifications.service';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import { refreshSearchDocument } from '../search/search.repository';
import { slugWords } from '../slugs';
import {
	addFacilitator,
	addGroupMembers,
	countParticipants,
	countPositions,
	countResponses,
	countDecisions,
	findDecision,
	findEventTitle,
	findNextRound,
	findOrganisationName,
	findOwnResponse,
	findPeopleByEmail,
	findSlugsLike,
	insertDecision,
	isFacilitatorOf,
	isParticipantIn,
	listChoices,
	listDecisionsPage,
	listFacilitators,
	listGroup,
	listOptions,
	listParticipantIds,
	listReasons,
	listSilentParticipants,
	removeGroupMember,
	replaceOptions,
	setStatus
} from './decisions.repository';
import {
	canFacilitate,
	canRespond,
	canSeeDecision,
	canStartDecision,
	isCurator
} from './decisions.permissions';
import { DECISION_SEARCH } from './decisions.search';
import {
	CONSENSUS_POSITIONS,
	CONSENT_POSITIONS,
	GROUP_MAX,
	OPTIONS_MAX,
	OPTION_MAX,
	REASON_MAX,
	emailLines,
	optionLines,
	optionNumberSchema,
	type DecisionForm,
	type OutcomeForm
} from './decisions.schema';
import type {
	Decision,
	DecisionAudience,
	DecisionProcess,
	DecisionResult,
	DecisionStatus
} from './decisions.tables';

type Db = Kysely<DB>;
type Trx = Kysely<DB> | Transaction<DB>;

export const DECISIONS_PAGE_SIZE = 20;
/** Reasons shown in the live summary (the newest first). */
export const REASONS_SHOWN = 50;
/** Responses (and changes of position) one person may send: 60 an hour. */
export const RESPOND_RATE: RateLimitRule = { limit: 60, windowSeconds: 3600 };
/** Decisions one person may start: 10 a day. */
export const START_RATE: RateLimitRule = { limit: 10, windowSeconds: 86_400 };

export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };
export type NotFound = { ok: false; reason: 'not-found' };

/** Thrown by {@link startDecision} when what it was given cannot make a decision. */
export class InvalidDecision extends Error {
	constructor(readonly errors: FieldErrors) {
		super('invalid decision');
		this.name = 'InvalidDecision';
	}
}

// ---------------------------------------------------------------------------------------------
// Words

export const PROCESS_NAMES: Record<DecisionProcess, string> = {
	consensus: 'Consensus',
	consent: 'Consent (no objection)',
	choose: 'Choose from options',
	dot: 'Dot vote',
	score: 'Score each option',
	ranked: 'Ranked choice',
	time: 'Find a time'
};

/** How each process decides, in plain English, for the page and the form. */
export function explainProcess(process: DecisionProcess, setting: number): string {
	switch (process) {
		case 'consensus':
			return 'Everyone says whether they agree, abstain (stand aside), disagree or block. A block is a serious objection: it must come with a reason, and it stops the proposal until the reason is addressed, usually in a second round with a changed proposal. With no block standing, the facilitator writes the outcome from what people said.';
		case 'consent':
			return 'The proposal goes ahead unless someone objects. An objection counts only when it gives a reason the group can work with. If nobody gives a reasoned objection, it passes.';
		case 'choose':
			return setting > 1
				? `Choose up to ${plural(setting, 'option', 'options')}. The option chosen by the most people wins.`
				: 'Choose one option. The option chosen by the most people wins.';
		case 'dot':
			return `You have ${plural(setting, 'dot', 'dots')} to share among the options: put them all on one, or spread them. The option with the most dots wins.`;
		case 'score':
			return `Give each option a score from 0 to ${setting}. The option with the highest average score wins.`;
		case 'ranked':
			return 'Put the options in order: 1 for your first choice, 2 for your next, and so on. You may leave some out. We count by instant runoff: if no option is the first choice of more than half, the option with the fewest first choices is removed and its votes go to each person’s next choice, until one option has more than half.';
		case 'time':
			return 'Tick every time you could come. The time most people can make is chosen.';
	}
}

export const POSITION_LABELS: Record<string, string> = {
	agree: 'Agree',
	abstain: 'Abstain (stand aside)',
	disagree: 'Disagree',
	block: 'Block',
	consent: 'No objection',
	object: 'Object'
};

export const AUDIENCE_LABELS: Record<DecisionAudience, string> = {
	members: 'All members',
	organisation: 'The members of an organisation',
	event: 'The people registered for an event',
	group: 'A named group of people'
};

export function describeRateLimit(what: string, retryAfterSeconds: number): string {
	return `You have ${what} a lot in a short time. Please wait ${describeWait(retryAfterSeconds)} and try again. What you wrote is still here.`;
}

// ---------------------------------------------------------------------------------------------
// Starting and editing

/** What a decision is made from, whether typed into the form or sent by another feature. */
export interface StartDecisionInput {
	question: string;
	proposal: string;
	process: DecisionProcess;
	options?: string[];
	setting?: number;
	audience?: DecisionAudience;
	organisationId?: string | null;
	eventId?: string | null;
	/** Email addresses of the named group. */
	group?: string[];
	/** ISO timestamp; by default two weeks from now. */
	closesAt?: string;
	quorum?: number;
	anonymous?: boolean;
	origin?: { kind: string; id: string; title: string; path: string };
}

const NEEDS_OPTIONS: readonly DecisionProcess[] = ['choose', 'dot', 'score', 'ranked', 'time'];

/** Turns the form into a start input, with the checks only the form needs (the closing time). */
export function decisionInputFromForm(
	form: Partial<DecisionForm>,
	timeZone: string
): { input: Partial<StartDecisionInput>; errors: FieldErrors } {
	const errors: FieldErrors = {};
	let closesAt: string | undefined;
	if (form.closesDate && form.closesTime) {
		const at = localToUtc(form.closesDate, form.closesTime, timeZone);
		if (at.ok) closesAt = at.iso;
		else errors.closesDate = 'Enter a real date and time, like 2026-12-24 and 17:00';
	}
	return {
		input: {
			question: form.question,
			proposal: form.proposal,
			process: form.process,
			options: optionLines(form.options ?? ''),
			setting: form.setting,
			audience: form.audience,
			organisationId: form.organisationId || null,
			eventId: form.eventId || null,
			group: emailLines(form.group ?? ''),
			closesAt,
			quorum: form.quorum,
			anonymous: form.anonymous === 'yes'
		},
		errors
	};
}

/** The checks that need the process, the database or the clock. */
export async function checkDecisionInput(
	db: Trx,
	input: Partial<StartDecisionInput>,
	now = nowIso()
): Promise<FieldErrors> {
	const errors: FieldErrors = {};
	const process = input.process;
	const options = input.options ?? [];
	const setting = input.setting ?? 1;
	if (process && NEEDS_OPTIONS.includes(process)) {
		if (options.length < 2) errors.options = 'Write at least two options, one on each line';
		else if (options.length > OPTIONS_MAX) errors.options = `Write ${OPTIONS_MAX} options or fewer`;
		else if (options.some((o) => o.length > OPTION_MAX))
			errors.options = `Each option must be ${OPTION_MAX} characters or fewer`;
		else if (new Set(options.map((o) => o.toLowerCase())).size !== options.length)
			errors.options = 'Two options are the same. Make each option different';
		if (process === 'choose' && options.length >= 2 && setting > options.length)
			errors.setting = `People cannot choose more options than there are (${options.length})`;
		if (process === 'score' && setting < 2) errors.setting = 'The highest score must be 2 or more';
	}
	if (input.audience === 'organisation') {
		if (!input.organisationId || !(await findOrganisationName(db, input.organisationId)))
			errors.organisationId = 'Choose the organisation whose members take part';
	}
	if (input.audience === 'event') {
		if (!input.eventId || !(await findEventTitle(db, input.eventId)))
			errors.eventId = 'Choose the event whose registered people take part';
	}
	if (input.audience === 'group') {
		const emails = [...new Set(input.group ?? [])];
		if (!emails.length)
			errors.group = 'Write the email address of at least one person in the group';
		else if (emails.length > GROUP_MAX)
			errors.group = `A named group can have ${GROUP_MAX} people or fewer`;
		else {
			const found = new Set(
				(await findPeopleByEmail(db, emails)).map((p) => p.email.toLowerCase())
			);
			const unknown = emails.filter((e) => !found.has(e));
			if (unknown.length)
				errors.group = `We have no member with ${unknown.length === 1 ? 'the address' : 'the addresses'} ${unknown.join(', ')}. Check the spelling, or ask them to join first.`;
		}
	}
	if (input.closesAt !== undefined && input.closesAt <= now)
		errors.closesDate = 'The closing time must be in the future';
	return errors;
}

export function decisionSlugBase(question: string): string {
	const slug = slugWords(question).slice(0, 60).replace(/-+$/, '');
	if (!slug || slug === 'new') return `decision-${slug || 'untitled'}`;
	return slug;
}

async function freeSlug(db: Trx, question: string): Promise<string> {
	const base = decisionSlugBase(question);
	const taken = new Set(await findSlugsLike(db, base));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const TWO_WEEKS_MS = 14 * 86_400_000;

/**
 * A member (or another feature acting for one) starts a decision as a draft: they become its
 * facilitator. Throws {@link InvalidDecision} with messages by field when the input cannot make
 * a decision. Other features call this with `origin` to say where the decision came from.
 */
export async function startDecision(
	db: Db,
	actor: Actor | null | undefined,
	input: StartDecisionInput,
	now = nowIso()
): Promise<{ id: string; slug: string }> {
	assertCan(canStartDecision(actor), 'Sign in to start a decision.');
	const full = {
		...input,
		closesAt: input.closesAt ?? new Date(Date.parse(now) + TWO_WEEKS_MS).toISOString()
	};
	const errors = await checkDecisionInput(db, full, now);
	if (Object.keys(errors).length) throw new InvalidDecision(errors);
	const id = newId();
	const write = () =>
		db.transaction().execute(async (trx) => {
			const slug = await freeSlug(trx, input.question);
			await insertDecision(trx, {
				id,
				slug,
				question: input.question,
				proposal: input.proposal,
				process: input.process,
				setting: input.setting ?? defaultSetting(input.process),
				audience: input.audience ?? 'members',
				audience_organisation_id:
					input.audience === 'organisation' ? (input.organisationId ?? null) : null,
				audience_event_id: input.audience === 'event' ? (input.eventId ?? null) : null,
				closes_at: full.closesAt,
				quorum: input.quorum ?? 0,
				anonymous: input.anonymous ? 1 : 0,
				status: 'draft',
				outcome: null,
				result: null,
				round: 1,
				previous_round_id: null,
				origin_kind: input.origin?.kind ?? null,
				origin_id: input.origin?.id ?? null,
				origin_title: input.origin?.title ?? null,
				origin_path:
					input.origin && /^\/(?![/\\])/.test(input.origin.path) ? input.origin.path : null,
				created_by: actor.id,
				created_at: now,
				updated_at: now,
				opened_at: null,
				closed_at: null,
				outcome_at: null,
				reminder_claimed_at: null
			});
			await replaceOptions(
				trx,
				id,
				NEEDS_OPTIONS.includes(input.process)
					? (input.options ?? []).map((label) => ({ id: newId(), label }))
					: []
			);
			await addFacilitator(trx, id, actor.id, now);
			if (input.audience === 'group') {
				const people = await findPeopleByEmail(trx, [...new Set(input.group ?? [])]);
				await addGroupMembers(
					trx,
					id,
					people.map((p) => p.id),
					now
				);
			}
			await refreshSearchDocument(trx, DECISION_SEARCH, id);
			await recordAudit(trx, {
				actor,
				action: 'decision.started',
				target: { type: 'decision', id },
				detail: {
					process: input.process,
					...(input.origin ? { originKind: input.origin.kind, originId: input.origin.id } : {})
				}
			});
			return slug;
		});
	for (let attempt = 1; ; attempt++) {
		try {
			return { id, slug: await write() };
		} catch (caught) {
			if (attempt < 5 && isUniqueViolation(caught)) continue;
			throw caught;
		}
	}
}

function defaultSetting(process: DecisionProcess): number {
	if (process === 'dot') return 5;
	if (process === 'score') return 5;
	return 1;
}

/** The form's way in: rate limited, with messages by field. */
export async function startDecisionFromForm(
	db: Db,
	actor: Actor | null | undefined,
	input: StartDecisionInput,
	now = nowIso()
): Promise<{ ok: true; id: string; slug: string } | Invalid | RateLimited> {
	assertCan(canStartDecision(actor), 'Sign in to start a decision.');
	const errors = await checkDecisionInput(db, input, now);
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const limited = await consumeRateLimit(db, `decisions.start:user:${actor.id}`, START_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	try {
		return { ok: true, ...(await startDecision(db, actor, input, now)) };
	} catch (caught) {
		if (caught instanceof InvalidDecision)
			return { ok: false, reason: 'invalid', errors: caught.errors };
		throw caught;
	}
}

/** A decision as a facilitator reaches it: undefined when missing; refused when not theirs. */
async function reachAsFacilitator(db: Trx, actor: Actor | null | undefined, id: string) {
	const decision = await findDecision(db, { id });
	if (!decision) return undefined;
	const mine = isPerson(actor) && (await isFacilitatorOf(db, id, actor.id));
	assertCan(
		canFacilitate(actor, mine),
		'Only the decision’s facilitators and curators can do that.'
	);
	return { decision, actor: actor as SessionUser };
}

/** The decision as its edit form shows it. */
export async function decisionForEditing(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	timeZone: string
) {
	const found = await findDecision(db, { slug });
	if (!found) return undefined;
	const reached = await reachAsFacilitator(db, actor, found.id);
	if (!reached) return undefined;
	const { decision } = reached;
	const [options, group, responses] = await Promise.all([
		listOptions(db, decision.id),
		listGroup(db, decision.id),
		countResponses(db, decision.id)
	]);
	const local = utcToLocal(decision.closes_at, timeZone);
	const values: FormValues = {
		question: decision.question,
		proposal: decision.proposal,
		process: decision.process,
		options: options.map((o) => o.label).join('\n'),
		setting: String(decision.setting),
		audience: decision.audience,
		organisationId: decision.audience_organisation_id ?? '',
		eventId: decision.audience_event_id ?? '',
		group: group.map((g) => g.email).join('\n'),
		closesDate: local.date,
		closesTime: local.time,
		quorum: String(decision.quorum),
		...(decision.anonymous ? { anonymous: 'yes' } : {})
	};
	return { decision, values, responses };
}

export type EditRefusal = 'has-responses' | 'closed' | 'anonymity-fixed';

/**
 * A facilitator changes a decision. Refused once anyone has responded (it must not change what
 * people answered: start a new round instead), once closed, and the anonymous choice once open.
 */
export async function editDecision(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	input: StartDecisionInput,
	now = nowIso()
): Promise<{ ok: true; slug: string } | Invalid | NotFound | { ok: false; reason: EditRefusal }> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	const { decision } = reached;
	if (decision.status === 'closed') return { ok: false, reason: 'closed' };
	if (decision.status === 'open' && !!input.anonymous !== (decision.anonymous === 1))
		return { ok: false, reason: 'anonymity-fixed' };
	const errors = await checkDecisionInput(db, input, now);
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	return refusable<{ ok: true; slug: string }, EditRefusal>(() =>
		db.transaction().execute(async (trx) => {
			// Checked inside the transaction too: a response sent while the form was open wins.
			if ((await countResponses(trx, id)) > 0) throw new Refusal('has-responses' as const);
			await trx
				.updateTable('decision')
				.set({
					question: input.question,
					proposal: input.proposal,
					process: input.process,
					setting: input.setting ?? defaultSetting(input.process),
					audience: input.audience ?? 'members',
					audience_organisation_id:
						input.audience === 'organisation' ? (input.organisationId ?? null) : null,
					audience_event_id: input.audience === 'event' ? (input.eventId ?? null) : null,
					closes_at: input.closesAt ?? decision.closes_at,
					quorum: input.quorum ?? 0,
					anonymous: input.anonymous ? 1 : 0,
					updated_at: now
				})
				.where('id', '=', id)
				.execute();
			await replaceOptions(
				trx,
				id,
				NEEDS_OPTIONS.includes(input.process)
					? (input.options ?? []).map((label) => ({ id: newId(), label }))
					: []
			);
			if (input.audience === 'group') {
				await trx.deleteFrom('decision_group_member').where('decision_id', '=', id).execute();
				const people = await findPeopleByEmail(trx, [...new Set(input.group ?? [])]);
				await addGroupMembers(
					trx,
					id,
					people.map((p) => p.id),
					now
				);
			}
			await refreshSearchDocument(trx, DECISION_SEARCH, id);
			await recordAudit(trx, {
				actor: reached.actor,
				action: 'decision.edited',
				target: { type: 'decision', id }
			});
			return { ok: true as const, slug: decision.slug };
		})
	);
}

/** A facilitator opens a draft: the participants are invited. */
export async function openDecision(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound | { ok: false; reason: 'not-draft' | 'closes-in-past' }> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	const { decision } = reached;
	if (decision.status !== 'draft') return { ok: false, reason: 'not-draft' };
	if (decision.closes_at <= now) return { ok: false, reason: 'closes-in-past' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			if (!(await setStatus(trx, id, 'draft', { status: 'open', opened_at: now, updated_at: now })))
				throw new Refusal('not-draft' as const);
			await refreshSearchDocument(trx, DECISION_SEARCH, id);
			for (const recipientId of await listParticipantIds(trx, decision))
				await notify(
					trx,
					{
						recipientId,
						kind: 'decision-invited',
						subjectKey: `decision:${id}`,
						title: `You are asked to take part in a decision: “${decision.question}”`,
						url: `/decisions/${decision.slug}`,
						actorId: reached.actor.id
					},
					now
				);
			await recordAudit(trx, {
				actor: reached.actor,
				action: 'decision.opened',
				target: { type: 'decision', id }
			});
			return { ok: true as const };
		})
	);
}

// ---------------------------------------------------------------------------------------------
// Responding

export interface ResponseInput {
	position?: string;
	reason?: string;
	/** choose / time: the option ids ticked. */
	chosen?: string[];
	/** dot / score / ranked: a number typed for each option id (blank for none). */
	values?: Record<string, string>;
}

export type RespondRefusal = 'closed' | 'not-open';

function parseNumber(text: string | undefined): number | null | 'bad' {
	const parsed = optionNumberSchema.safeParse(text ?? '');
	return parsed.success ? parsed.data : 'bad';
}

/** The checks on a response for the decision's process; the values to store, or messages. */
function checkResponse(
	decision: Pick<Decision, 'process' | 'setting'>,
	options: { id: string; label: string }[],
	input: ResponseInput
): {
	position: string | null;
	choices: Record<string, number> | null;
	reason: string;
	errors: FieldErrors;
} {
	const errors: FieldErrors = {};
	const reason = (input.reason ?? '').trim();
	if (reason.length > REASON_MAX)
		errors.reason = `Your reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`;
	const ids = new Set(options.map((o) => o.id));
	const field = (id: string) => `value-${id}`;
	switch (decision.process) {
		case 'consensus':
		case 'consent': {
			const allowed: readonly string[] =
				decision.process === 'consensus' ? CONSENSUS_POSITIONS : CONSENT_POSITIONS;
			const position = input.position ?? '';
			if (!allowed.includes(position)) errors.position = 'Choose your position';
			else if (position === 'block' && !reason)
				errors.reason =
					'A block needs a reason: say what would have to change for you to stop blocking';
			return {
				position: allowed.includes(position) ? position : null,
				choices: null,
				reason,
				errors
			};
		}
		case 'choose':
		case 'time': {
			const chosen = [...new Set(input.chosen ?? [])];
			if (chosen.some((c) => !ids.has(c)))
				errors.chosen =
					'One of the options you chose is not on the list. Choose again from the list shown';
			else if (decision.process === 'choose' && chosen.length === 0)
				errors.chosen = decision.setting > 1 ? 'Choose at least one option' : 'Choose an option';
			else if (decision.process === 'time' && chosen.length === 0)
				errors.chosen =
					'Tick at least one time you could come. If none suits you, say so in the reason box and tick the nearest';
			else if (decision.process === 'choose' && chosen.length > decision.setting)
				errors.chosen = `Choose ${plural(decision.setting, 'option', 'options')} or fewer`;
			return {
				position: null,
				choices: Object.fromEntries(chosen.map((c) => [c, 1])),
				reason,
				errors
			};
		}
		default: {
			const choices: Record<string, number> = {};
			const max = decision.process === 'ranked' ? options.length : decision.setting;
			const min = decision.process === 'ranked' ? 1 : 0;
			for (const option of options) {
				const value = parseNumber(input.values?.[option.id]);
				if (value === null) continue;
				if (value === 'bad' || value < min || value > max) {
					errors[field(option.id)] = `${option.label}: enter a whole number from ${min} to ${max}`;
					continue;
				}
				choices[option.id] = value;
			}
			const first = options[0] ? field(options[0].id) : 'form';
			if (Object.keys(errors).length) return { position: null, choices, reason, errors };
			const values = Object.values(choices);
			if (decision.process === 'dot') {
				const total = values.reduce((a, b) => a + b, 0);
				if (total === 0)
					errors[first] =
						`Put at least one of your ${plural(decision.setting, 'dot', 'dots')} on an option`;
				else if (total > decision.setting)
					errors[first] =
						`You have ${plural(decision.setting, 'dot', 'dots')} in all, and you used ${total}. Take some away`;
			} else if (decision.process === 'score') {
				if (values.length !== options.length)
					errors[first] = 'Give every option a score (0 if you do not want it at all)';
			} else {
				if (values.length === 0)
					errors[first] = 'Put at least your first choice: write 1 beside it';
				else {
					const sorted = [...values].sort((a, b) => a - b);
					if (sorted.some((v, i) => v !== i + 1))
						errors[first] = `Number your choices 1, 2, 3 and so on, each number once, with no gaps`;
				}
			}
			return { position: null, choices, reason, errors };
		}
	}
}

/**
 * A participant responds, or changes their response, while the decision is open. Refused for
 * people it was not put to, and after it closes.
 */
export async function respondToDecision(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	input: ResponseInput,
	now = nowIso()
): Promise<
	| { ok: true; changed: boolean }
	| Invalid
	| RateLimited
	| NotFound
	| { ok: false; reason: RespondRefusal }
> {
	assertCan(isPerson(actor), 'Sign in to respond.');
	const decision = await findDecision(db, { id });
	if (!decision || decision.status === 'draft') return { ok: false, reason: 'not-found' };
	if (decision.status === 'closed' || now >= decision.closes_at)
		return { ok: false, reason: 'closed' };
	const participant = await isParticipantIn(db, decision, actor.id);
	assertCan(
		canRespond(actor, decision, participant, now),
		'This decision was not put to you, so you cannot respond to it.'
	);
	const options = await listOptions(db, id);
	const checked = checkResponse(decision, options, input);
	if (Object.keys(checked.errors).length)
		return { ok: false, reason: 'invalid', errors: checked.errors };
	const limited = await consumeRateLimit(db, `decisions.respond:user:${actor.id}`, RESPOND_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	return refusable<{ ok: true; changed: boolean }, RespondRefusal>(() =>
		db.transaction().execute(async (trx) => {
			// Closing takes the same row: a response racing a close is refused, never half-unlinked.
			const still = await trx
				.updateTable('decision')
				.set({ updated_at: now })
				.where('id', '=', id)
				.where('status', '=', 'open')
				.where('closes_at', '>', now)
				.executeTakeFirst();
			if (Number(still.numUpdatedRows) !== 1) throw new Refusal('closed' as const);
			const own = await findOwnResponse(trx, id, actor.id);
			const row = {
				position: checked.position,
				choices: checked.choices ? JSON.stringify(checked.choices) : null,
				reason: checked.reason,
				// An anonymous decision keeps no time on a response: the order of reasons could
				// otherwise be matched to when someone was seen to respond.
				updated_at: decision.anonymous ? null : now
			};
			if (own)
				await trx.updateTable('decision_response').set(row).where('id', '=', own.id).execute();
			else
				await trx
					.insertInto('decision_response')
					.values({ id: newId(), decision_id: id, person_id: actor.id, ...row })
					.execute();
			return { ok: true as const, changed: !!own };
		})
	);
}

// ---------------------------------------------------------------------------------------------
// Closing, outcome, next round

/**
 * Unlinks an anonymous decision's responses from the people who gave them. While it is open,
 * each row keeps `person_id` so its author can see and change their own position (the pages
 * never show it to anyone else, and the summary orders reasons by a random id rather than time).
 * At close, inside the closing transaction, every row is deleted and written again with a new
 * random id, no person and no time, in shuffled order: nothing in the database, an export or a
 * log ties a position to a person after that, not even for the person themselves.
 */
async function unlinkResponses(trx: Trx, decisionId: string): Promise<void> {
	const rows = await trx
		.selectFrom('decision_response')
		.select(['position', 'choices', 'reason'])
		.where('decision_id', '=', decisionId)
		.execute();
	await trx.deleteFrom('decision_response').where('decision_id', '=', decisionId).execute();
	// Written back in a random order, so not even the order of rows follows the order of responses.
	const shuffled = rows
		.map((row) => ({ row, key: randomInt(0, 2 ** 47) }))
		.sort((a, b) => a.key - b.key)
		.map((x) => x.row);
	for (let at = 0; at < rows.length; at += 500)
		await trx
			.insertInto('decision_response')
			.values(
				shuffled.slice(at, at + 500).map((r) => ({
					id: newId(),
					decision_id: decisionId,
					person_id: null,
					position: r.position,
					choices: r.choices,
					reason: r.reason,
					updated_at: null
				}))
			)
			.execute();
}

async function closeInside(trx: Trx, decision: Decision, now: string): Promise<boolean> {
	if (
		!(await setStatus(trx, decision.id, 'open', {
			status: 'closed',
			closed_at: now,
			updated_at: now
		}))
	)
		return false;
	if (decision.anonymous) await unlinkResponses(trx, decision.id);
	await refreshSearchDocument(trx, DECISION_SEARCH, decision.id);
	return true;
}

/** A facilitator closes an open decision. A second press says it is already closed. */
export async function closeDecision(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound | { ok: false; reason: 'already-closed' | 'not-open' }> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	const { decision } = reached;
	if (decision.status === 'closed') return { ok: false, reason: 'already-closed' };
	if (decision.status === 'draft') return { ok: false, reason: 'not-open' };
	return refusable(() =>
		db.transaction().execute(async (trx) => {
			if (!(await closeInside(trx, decision, now))) throw new Refusal('already-closed' as const);
			await recordAudit(trx, {
				actor: reached.actor,
				action: 'decision.closed',
				target: { type: 'decision', id }
			});
			return { ok: true as const };
		})
	);
}

/** Whether a block (consensus) or a reasoned objection (consent) stands in the responses. */
async function standingObjections(db: Trx, decision: Decision): Promise<number> {
	const counts = await countPositions(db, decision.id);
	if (decision.process === 'consensus') return counts.find((c) => c.position === 'block')?.n ?? 0;
	if (decision.process === 'consent')
		return counts.find((c) => c.position === 'object')?.withReason ?? 0;
	return 0;
}

export type OutcomeRefusal = 'not-closed' | 'result-needed' | 'block-stands';

/**
 * A facilitator writes the outcome of a closed decision: published with it, and sent to the
 * participants the first time. Consensus and consent need a result; a standing block (or a
 * reasoned objection) means it cannot have passed.
 */
export async function writeOutcome(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	input: OutcomeForm,
	now = nowIso()
): Promise<{ ok: true } | NotFound | { ok: false; reason: OutcomeRefusal }> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	const { decision } = reached;
	if (decision.status !== 'closed') return { ok: false, reason: 'not-closed' };
	const yesNo = decision.process === 'consensus' || decision.process === 'consent';
	if (yesNo && input.result === 'none') return { ok: false, reason: 'result-needed' };
	const result: DecisionResult | null = yesNo ? (input.result as DecisionResult) : null;
	if (result === 'passed' && (await standingObjections(db, decision)) > 0)
		return { ok: false, reason: 'block-stands' };
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('decision')
			.set({ outcome: input.outcome, result, outcome_at: now, updated_at: now })
			.where('id', '=', id)
			.execute();
		await refreshSearchDocument(trx, DECISION_SEARCH, id);
		if (!decision.outcome_at)
			for (const recipientId of await listParticipantIds(trx, decision))
				await notify(
					trx,
					{
						recipientId,
						kind: 'decision-outcome',
						subjectKey: `decision:${id}:outcome`,
						title: `The outcome of “${decision.question}” is published`,
						url: `/decisions/${decision.slug}#outcome`,
						actorId: reached.actor.id
					},
					now
				);
		await recordAudit(trx, {
			actor: reached.actor,
			action: 'decision.outcome_written',
			target: { type: 'decision', id },
			detail: { result }
		});
	});
	return { ok: true };
}

/**
 * A facilitator takes a closed decision to a second (or later) round with a changed proposal:
 * a new draft with the same question, process, options, audience and facilitators, linked to
 * the first. One next round per round.
 */
export async function startNextRound(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	input: { proposal: string; closesAt: string },
	now = nowIso()
): Promise<
	| { ok: true; id: string; slug: string }
	| NotFound
	| Invalid
	| { ok: false; reason: 'not-closed' | 'has-next' }
> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	const { decision } = reached;
	if (decision.status !== 'closed') return { ok: false, reason: 'not-closed' };
	if (input.closesAt <= now)
		return {
			ok: false,
			reason: 'invalid',
			errors: { closesDate: 'The closing time must be in the future' }
		};
	const nextId = newId();
	return refusable(
		() =>
			db.transaction().execute(async (trx) => {
				if (await findNextRound(trx, id)) throw new Refusal('has-next' as const);
				const round = decision.round + 1;
				const base = decisionSlugBase(decision.question).replace(/-round-\d+$/, '');
				const slug = await freeSlug(trx, `${base} round ${round}`);
				await insertDecision(trx, {
					...decision,
					id: nextId,
					slug,
					proposal: input.proposal,
					closes_at: input.closesAt,
					status: 'draft',
					outcome: null,
					result: null,
					round,
					previous_round_id: id,
					created_by: reached.actor.id,
					created_at: now,
					updated_at: now,
					opened_at: null,
					closed_at: null,
					outcome_at: null,
					reminder_claimed_at: null
				});
				const options = await listOptions(trx, id);
				await replaceOptions(
					trx,
					nextId,
					options.map((o) => ({ id: newId(), label: o.label }))
				);
				await trx
					.insertInto('decision_facilitator')
					.columns(['decision_id', 'user_id', 'added_at'])
					.expression((eb) =>
						eb
							.selectFrom('decision_facilitator')
							.select([eb.val(nextId).as('decision_id'), 'user_id', eb.val(now).as('added_at')])
							.where('decision_id', '=', id)
					)
					.execute();
				await addFacilitator(trx, nextId, reached.actor.id, now);
				await refreshSearchDocument(trx, DECISION_SEARCH, nextId);
				await trx
					.insertInto('decision_group_member')
					.columns(['decision_id', 'user_id', 'added_at'])
					.expression((eb) =>
						eb
							.selectFrom('decision_group_member')
							.select([eb.val(nextId).as('decision_id'), 'user_id', eb.val(now).as('added_at')])
							.where('decision_id', '=', id)
					)
					.execute();
				await recordAudit(trx, {
					actor: reached.actor,
					action: 'decision.next_round_started',
					target: { type: 'decision', id: nextId },
					detail: { previousRoundId: id, round }
				});
				return { ok: true as const, id: nextId, slug };
			}),
		'has-next' as const
	);
}

// ---------------------------------------------------------------------------------------------
// Facilitators and the named group

/** A facilitator adds a member as another facilitator, or to the named group. */
export async function addPersonToDecision(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	as: 'facilitator' | 'group',
	email: string,
	now = nowIso()
): Promise<{ ok: true; name: string } | NotFound | Invalid> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	if (as === 'group' && reached.decision.status === 'closed')
		return {
			ok: false,
			reason: 'invalid',
			errors: { email: 'This decision has closed, so its group cannot change' }
		};
	const [person] = await findPeopleByEmail(db, [email.toLowerCase()]);
	if (!person)
		return {
			ok: false,
			reason: 'invalid',
			errors: {
				email: 'We have no member with that address. Check the spelling, or ask them to join first.'
			}
		};
	await db.transaction().execute(async (trx) => {
		if (as === 'facilitator') await addFacilitator(trx, id, person.id, now);
		else await addGroupMembers(trx, id, [person.id], now);
		await recordAudit(trx, {
			actor: reached.actor,
			action: as === 'facilitator' ? 'decision.facilitator_added' : 'decision.group_member_added',
			target: { type: 'decision', id },
			detail: { userId: person.id }
		});
	});
	return { ok: true, name: person.name };
}

/** A facilitator takes someone out of the named group while the decision is not closed. */
export async function removePersonFromGroup(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	userId: string
): Promise<{ ok: true } | NotFound | { ok: false; reason: 'closed' }> {
	const reached = await reachAsFacilitator(db, actor, id);
	if (!reached) return { ok: false, reason: 'not-found' };
	if (reached.decision.status === 'closed') return { ok: false, reason: 'closed' };
	await db.transaction().execute(async (trx) => {
		await removeGroupMember(trx, id, userId);
		await recordAudit(trx, {
			actor: reached.actor,
			action: 'decision.group_member_removed',
			target: { type: 'decision', id },
			detail: { userId }
		});
	});
	return { ok: true };
}

/** The facilitators and the named group, for the participants page. */
export async function viewPeople(db: Db, actor: Actor | null | undefined, slug: string) {
	const found = await findDecision(db, { slug });
	if (!found) return undefined;
	const reached = await reachAsFacilitator(db, actor, found.id);
	if (!reached) return undefined;
	const [facilitators, group, participants] = await Promise.all([
		listFacilitators(db, found.id),
		listGroup(db, found.id),
		countParticipants(db, found)
	]);
	return {
		decision: found,
		facilitators: facilitators.map((f) => ({ id: f.id, name: f.name })),
		group: group.map((g) => ({ id: g.id, name: g.name })),
		participants
	};
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface Tally {
	label: string;
	value: number;
	/** What the number means, e.g. "3 people", "7 dots", "average 3.5". */
	text: string;
	leading: boolean;
}

/** Instant runoff: first choices counted; the weakest option is removed until one has a majority. */
export function instantRunoff(
	optionIds: string[],
	ballots: Record<string, number>[]
): { winner: string | null; rounds: Array<Record<string, number>> } {
	let remaining = [...optionIds];
	const rounds: Array<Record<string, number>> = [];
	while (remaining.length) {
		const counts: Record<string, number> = Object.fromEntries(remaining.map((o) => [o, 0]));
		let active = 0;
		for (const ballot of ballots) {
			let best: string | null = null;
			for (const o of remaining) {
				const rank = ballot[o];
				if (rank !== undefined && (best === null || rank < (ballot[best] ?? Infinity))) best = o;
			}
			if (best) {
				counts[best] = (counts[best] ?? 0) + 1;
				active++;
			}
		}
		rounds.push(counts);
		if (active === 0) return { winner: null, rounds };
		const top = remaining.reduce((a, b) => ((counts[b] ?? 0) > (counts[a] ?? 0) ? b : a));
		if ((counts[top] ?? 0) * 2 > active || remaining.length === 1) return { winner: top, rounds };
		const fewest = Math.min(...remaining.map((o) => counts[o] ?? 0));
		const out = remaining.filter((o) => counts[o] === fewest);
		// A tie for last removes the last of them in the list's order, so the count is repeatable.
		remaining = remaining.filter((o) => o !== out[out.length - 1]);
	}
	return { winner: null, rounds };
}

async function summarise(db: Trx, decision: Decision, options: { id: string; label: string }[]) {
	let responses: number;
	let tallies: Tally[];
	let note: string | null = null;
	let blocks = 0;
	if (decision.process === 'consensus' || decision.process === 'consent') {
		const counts = await countPositions(db, decision.id);
		responses = counts.reduce((sum, c) => sum + c.n, 0);
		const keys = decision.process === 'consensus' ? CONSENSUS_POSITIONS : CONSENT_POSITIONS;
		tallies = keys.map((key) => {
			const found = counts.find((c) => c.position === key);
			const n = key === 'object' ? (found?.withReason ?? 0) : (found?.n ?? 0);
			return {
				label: POSITION_LABELS[key] ?? key,
				value: n,
				text: plural(n, 'person', 'people'),
				leading: false
			};
		});
		blocks = counts.find((c) => c.position === 'block')?.n ?? 0;
		const objections = counts.find((c) => c.position === 'object');
		blocks += decision.process === 'consent' ? (objections?.withReason ?? 0) : 0;
		const unreasonedObjections = objections ? objections.n - objections.withReason : 0;
		if (unreasonedObjections)
			note = `${plural(unreasonedObjections, 'objection', 'objections')} without a reason ${unreasonedObjections === 1 ? 'is' : 'are'} not counted.`;
	} else {
		responses = await countResponses(db, decision.id);
		const ballots = (await listChoices(db, decision.id)).map(
			(c) => JSON.parse(c) as Record<string, number>
		);
		if (decision.process === 'ranked') {
			const { winner, rounds } = instantRunoff(
				options.map((o) => o.id),
				ballots
			);
			const first = rounds[0] ?? {};
			tallies = options.map((o) => ({
				label: o.label,
				value: first[o.id] ?? 0,
				text: `${plural(first[o.id] ?? 0, 'first choice', 'first choices')}`,
				leading: o.id === winner
			}));
			const w = options.find((o) => o.id === winner);
			note = w
				? `Counted by instant runoff over ${plural(rounds.length, 'round', 'rounds')}: “${w.label}” is ahead.`
				: null;
		} else {
			tallies = options.map((o) => {
				const sum = ballots.reduce((acc, b) => acc + (b[o.id] ?? 0), 0);
				if (decision.process === 'score') {
					const avg = ballots.length ? sum / ballots.length : 0;
					return {
						label: o.label,
						value: avg,
						text: `average ${avg.toFixed(1)} out of ${decision.setting}`,
						leading: false
					};
				}
				const text =
					decision.process === 'dot'
						? plural(sum, 'dot', 'dots')
						: decision.process === 'time'
							? `${plural(sum, 'person', 'people')} can come`
							: plural(sum, 'person', 'people');
				return { label: o.label, value: sum, text, leading: false };
			});
			const top = Math.max(0, ...tallies.map((t) => t.value));
			if (top > 0) for (const t of tallies) t.leading = t.value === top;
		}
	}
	const rows = await listReasonsFor(db, decision);
	return { responses, tallies, note, blocks, reasons: rows };
}

async function listReasonsFor(db: Trx, decision: Decision) {
	const rows = await listReasons(db, decision.id, REASONS_SHOWN);
	if (decision.anonymous) rows.sort((a, b) => (a.id < b.id ? -1 : 1));
	return rows.map((r) => ({
		id: r.id,
		position: r.position ? (POSITION_LABELS[r.position] ?? r.position) : null,
		reason: r.reason,
		name: decision.anonymous ? null : (r.name ?? 'Former member')
	}));
}

/**
 * A decision as the viewer may read it: the question, the process explained, their own
 * response, the live summary, the outcome, the rounds before and after, where it came from and
 * what they may do. Undefined when missing, or a draft that is not theirs.
 */
export async function viewDecision(
	db: Db,
	viewer: Actor | null | undefined,
	slug: string,
	timeZone: string,
	now = nowIso()
) {
	const decision = await findDecision(db, { slug });
	if (!decision) return undefined;
	const viewerId = isPerson(viewer) ? viewer.id : null;
	const facilitator = viewerId ? await isFacilitatorOf(db, decision.id, viewerId) : false;
	if (!canSeeDecision(viewer, decision, facilitator)) return undefined;
	const [options, participants, participant, own, previous, next, organisation, event] =
		await Promise.all([
			listOptions(db, decision.id),
			countParticipants(db, decision),
			viewerId ? isParticipantIn(db, decision, viewerId) : false,
			viewerId ? findOwnResponse(db, decision.id, viewerId) : undefined,
			decision.previous_round_id ? findDecision(db, { id: decision.previous_round_id }) : undefined,
			findNextRound(db, decision.id),
			decision.audience_organisation_id
				? findOrganisationName(db, decision.audience_organisation_id)
				: undefined,
			decision.audience_event_id ? findEventTitle(db, decision.audience_event_id) : undefined
		]);
	const live = await summarise(db, decision, options);
	const mayFacilitate = canFacilitate(viewer, facilitator);
	const open = decision.status === 'open' && now < decision.closes_at;
	return {
		decision: {
			id: decision.id,
			slug: decision.slug,
			question: decision.question,
			proposalHtml: renderMarkdown(decision.proposal),
			process: decision.process,
			processName: PROCESS_NAMES[decision.process],
			explanation: explainProcess(decision.process, decision.setting),
			setting: decision.setting,
			status: decision.status,
			open,
			closesAt: decision.closes_at,
			closesText: formatDeadline(decision.closes_at, timeZone),
			anonymous: decision.anonymous === 1,
			quorum: decision.quorum,
			round: decision.round,
			outcomeHtml: decision.outcome ? renderMarkdown(decision.outcome) : null,
			result: decision.result,
			audience: AUDIENCE_LABELS[decision.audience],
			audienceDetail: organisation?.name ?? event?.title ?? null,
			origin:
				decision.origin_kind && decision.origin_path
					? {
							kind: decision.origin_kind,
							title: decision.origin_title ?? decision.origin_kind,
							path: decision.origin_path
						}
					: null
		},
		options: options.map((o) => ({ id: o.id, label: o.label })),
		participants,
		quorumReached: live.responses >= decision.quorum,
		summary: live,
		mine: own
			? {
					position: own.position,
					reason: own.reason,
					choices: own.choices ? (JSON.parse(own.choices) as Record<string, number>) : {}
				}
			: null,
		previous: previous ? { slug: previous.slug, round: previous.round } : null,
		next: next ? { slug: next.slug, round: next.round } : null,
		may: {
			respond: canRespond(viewer, decision, participant, now),
			facilitate: mayFacilitate,
			edit: mayFacilitate && decision.status !== 'closed' && live.responses === 0,
			open: mayFacilitate && decision.status === 'draft',
			close: mayFacilitate && decision.status === 'open',
			writeOutcome: mayFacilitate && decision.status === 'closed',
			nextRound: mayFacilitate && decision.status === 'closed' && !next
		},
		isParticipant: participant
	};
}

/** A page of decisions: open first, then drafts the viewer runs, then closed. */
export async function listDecisions(
	db: Db,
	viewer: Actor | null | undefined,
	page: number,
	timeZone: string
) {
	const viewerId = isPerson(viewer) ? viewer.id : null;
	const curator = isCurator(viewer);
	const [total, rows] = await Promise.all([
		countDecisions(db, viewerId, curator),
		listDecisionsPage(db, viewerId, curator, {
			limit: DECISIONS_PAGE_SIZE,
			offset: (page - 1) * DECISIONS_PAGE_SIZE
		})
	]);
	return {
		decisions: rows.map((r) => ({
			slug: r.slug,
			question: r.question,
			processName: PROCESS_NAMES[r.process],
			status: r.status,
			closesText: formatDeadline(r.closes_at, timeZone),
			result: r.result,
			round: r.round
		})),
		total,
		totalPages: Math.max(1, Math.ceil(total / DECISIONS_PAGE_SIZE))
	};
}

/** For other features: where a decision stands, its result and outcome. */
export async function decisionResult(
	db: Db,
	decisionId: string
): Promise<
	| {
			status: DecisionStatus;
			result: DecisionResult | null;
			outcome: string | null;
			slug: string;
			question: string;
	  }
	| undefined
> {
	const d = await findDecision(db, { id: decisionId });
	if (!d) return undefined;
	return {
		status: d.status,
		result: d.result,
		outcome: d.outcome,
		slug: d.slug,
		question: d.question
	};
}

/** Decisions' addresses and questions by id, in one read (for pages that link to several). */
export async function decisionLinks(
	db: Db,
	ids: string[]
): Promise<Map<string, { slug: string; question: string }>> {
	const unique = [...new Set(ids)];
	if (!unique.length) return new Map();
	const rows = await db
		.selectFrom('decision')
		.select(['id', 'slug', 'question'])
		.where('id', 'in', unique)
		.execute();
	return new Map(rows.map((r) => [r.id, { slug: r.slug, question: r.question }]));
}

/** Rounds followed at most, from the first: a chain longer than this is not expected. */
const MAX_ROUNDS = 20;

/**
 * Where a decision stands now: its latest round (a blocked proposal often goes to a second
 * one), with that round's id, for features that started it (an amendment, an idea).
 */
export async function latestRoundResult(
	db: Db,
	decisionId: string
): Promise<
	| (NonNullable<Awaited<ReturnType<typeof decisionResult>>> & { id: string; round: number })
	| undefined
> {
	let id = decisionId;
	for (let hop = 0; hop < MAX_ROUNDS; hop++) {
		const next = await findNextRound(db, id);
		if (!next) break;
		id = next.id;
	}
	const d = await findDecision(db, { id });
	if (!d) return undefined;
	return {
		id: d.id,
		round: d.round,
		status: d.status,
		result: d.result,
		outcome: d.outcome,
		slug: d.slug,
		question: d.question
	};
}

/** The participants' summary in the form of values to refill the response form. */
export function responseValues(
	mine: { position: string | null; reason: string; choices: Record<string, number> } | null
): FormValues {
	if (!mine) return {};
	const values: FormValues = { reason: mine.reason };
	if (mine.position) values.position = mine.position;
	const chosen = Object.keys(mine.choices);
	if (chosen.length) values.chosen = chosen;
	for (const [id, n] of Object.entries(mine.choices)) values[`value-${id}`] = String(n);
	return values;
}

// ---------------------------------------------------------------------------------------------
// Background work

/**
 * One reminder a day before closing for participants who have not responded, and closing of
 * decisions past their time. Each decision is claimed by a conditional update, so several
 * instances running this at once send each reminder once and close each decision once.
 */
export async function remindAndCloseDecisions(
	db: Db,
	now = new Date()
): Promise<{ reminded: number; closed: number }> {
	const at = now.toISOString();
	const soon = new Date(now.getTime() + 86_400_000).toISOString();
	const due = await db
		.selectFrom('decision')
		.selectAll()
		.where('status', '=', 'open')
		.where('reminder_claimed_at', 'is', null)
		.where('closes_at', '<=', soon)
		.where('closes_at', '>', at)
		.limit(100)
		.execute();
	let reminded = 0;
	for (const decision of due) {
		await db.transaction().execute(async (trx) => {
			const claim = await trx
				.updateTable('decision')
				.set({ reminder_claimed_at: at })
				.where('id', '=', decision.id)
				.where('reminder_claimed_at', 'is', null)
				.executeTakeFirst();
			if (Number(claim.numUpdatedRows) !== 1) return;
			for (const { id } of await listSilentParticipants(trx, decision)) {
				await notify(
					trx,
					{
						recipientId: id,
						kind: 'decision-reminder',
						subjectKey: `decision:${decision.id}:reminder`,
						title: `“${decision.question}” closes within a day, and you have not responded yet`,
						url: `/decisions/${decision.slug}`,
						actorId: null
					},
					at
				);
				reminded++;
			}
		});
	}
	const overdue = await db
		.selectFrom('decision')
		.selectAll()
		.where('status', '=', 'open')
		.where('closes_at', '<=', at)
		.limit(100)
		.execute();
	let closed = 0;
	for (const decision of overdue) {
		const done = await db.transaction().execute(async (trx) => {
			if (!(await closeInside(trx, decision, at))) return false;
			await recordAudit(trx, {
				actor: { system: true },
				action: 'decision.closed',
				target: { type: 'decision', id: decision.id },
				detail: { reason: 'its closing time passed' }
			});
			return true;
		});
		if (done) closed++;
	}
	return { reminded, closed };
}

/** What the decision form offers: organisations, and events from the last month onwards. */
export async function decisionFormChoices(db: Db, now = nowIso()) {
	const since = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
	const [organisations, events] = await Promise.all([
		db.selectFrom('organisation').select(['id', 'name']).orderBy('name').limit(500).execute(),
		db
			.selectFrom('event')
			.select(['id', 'title', 'starts_at'])
			.where('starts_at', '>=', since)
			.orderBy('starts_at')
			.limit(200)
			.execute()
	]);
	return {
		organisations: organisations.map((o) => ({ value: o.id, label: o.name })),
		events: events.map((e) => ({ value: e.id, label: `${e.title} (${e.starts_at.slice(0, 10)})` }))
	};
}

/** The processes as the form lists them, each with its plain-English explanation. */
export function processChoices() {
	return (Object.keys(PROCESS_NAMES) as DecisionProcess[]).map((value) => ({
		value,
		label: PROCESS_NAMES[value],
		hint: explainProcess(value, value === 'choose' ? 1 : 5)
	}));
}
