import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import {
	buildTree,
	countExcerptsByCode,
	deleteUncodedExcerpts,
	findMerges,
	insertCode,
	listCodes,
	teamAccess
} from './codebook.service';
import { CODE_NAME_MAX } from './codebook.schema';
import { splitSentences, trimRange } from './coding.segment';
import { canWorkOnMaterial } from './enquiries.permissions';

type Db = Kysely<DB>;

/** Coding writes one person may make: 600 an hour (a busy session codes a lot, a script more). */
export const CODING_RATE: RateLimitRule = { limit: 600, windowSeconds: 3600 };

const whole = z
	.string()
	.trim()
	.regex(/^\d{1,9}$/)
	.transform(Number);
const optionalWhole = z.union([whole, z.literal('').transform(() => undefined)]).optional();

export const passageSchema = z.object({
	/** Exact character offsets, filled by selecting text with the mouse (JavaScript). */
	start: optionalWhole,
	end: optionalWhole,
	/** The first and last sentence, chosen from the lists (works without JavaScript). */
	from: optionalWhole,
	to: optionalWhole,
	codes: z.array(z.string().max(64)).max(200, 'Choose fewer codes').default([]),
	newCode: z
		.string()
		.trim()
		.max(CODE_NAME_MAX, `A code name must be ${CODE_NAME_MAX} characters or fewer`)
		.default('')
});
export type PassageInput = z.output<typeof passageSchema>;
export const PASSAGE_LIST_FIELDS = ['codes'] as const;

export type CodingFailure =
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'not-found' }
	| { ok: false; reason: 'nothing-to-code' }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/** The interview if it is in the enquiry and its participant has not withdrawn. */
async function findCodableInterview(db: Db, enquiryId: string, interviewId: string) {
	return db
		.selectFrom('enquiry_interview as i')
		.innerJoin('enquiry_participant as p', 'p.id', 'i.participant_id')
		.select([
			'i.id',
			'i.title',
			'i.body',
			'i.kind',
			'i.held_on',
			'i.participant_id',
			'p.label as participant_label',
			'p.perspective',
			'p.withdrawn_at'
		])
		.where('i.id', '=', interviewId)
		.where('i.enquiry_id', '=', enquiryId)
		.executeTakeFirst();
}

/** The excerpts of one interview with their codes, in order, in one query. */
export async function listInterviewExcerpts(db: Db, interviewId: string) {
	const rows = await db
		.selectFrom('enquiry_excerpt as e')
		.leftJoin('enquiry_coding as c', 'c.excerpt_id', 'e.id')
		.leftJoin('enquiry_code as k', 'k.id', 'c.code_id')
		.select([
			'e.id',
			'e.start_offset',
			'e.end_offset',
			'e.text',
			'k.id as code_id',
			'k.name as code_name'
		])
		.where('e.interview_id', '=', interviewId)
		.orderBy('e.start_offset')
		.orderBy('k.name')
		.execute();
	const excerpts: {
		id: string;
		start: number;
		end: number;
		text: string;
		codes: { id: string; name: string }[];
	}[] = [];
	for (const r of rows) {
		let last = excerpts[excerpts.length - 1];
		if (!last || last.id !== r.id) {
			last = { id: r.id, start: r.start_offset, end: r.end_offset, text: r.text, codes: [] };
			excerpts.push(last);
		}
		if (r.code_id && r.code_name) last.codes.push({ id: r.code_id, name: r.code_name });
	}
	return excerpts;
}

/** Cuts the body into plain and marked stretches (excerpts never overlap, so marks never nest). */
export function markBody(
	body: string,
	excerpts: { id: string; start: number; end: number; codes: { name: string }[] }[]
) {
	const parts: { start: number; text: string; excerptId?: string; codes?: string[] }[] = [];
	let at = 0;
	for (const e of excerpts) {
		if (e.start < at || e.end > body.length) continue;
		if (e.start > at) parts.push({ start: at, text: body.slice(at, e.start) });
		parts.push({
			start: e.start,
			text: body.slice(e.start, e.end),
			excerptId: e.id,
			codes: e.codes.map((c) => c.name)
		});
		at = e.end;
	}
	if (at < body.length) parts.push({ start: at, text: body.slice(at) });
	return parts;
}

/** The coding page of one interview, for the team. Undefined: not there. */
export async function viewInterviewCoding(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string
) {
	const access = await teamAccess(db, actor, enquiryId, 'read');
	if (!access) return undefined;
	const interview = await findCodableInterview(db, enquiryId, interviewId);
	if (!interview || interview.withdrawn_at !== null) return undefined;
	const [excerpts, codes, counts] = await Promise.all([
		listInterviewExcerpts(db, interviewId),
		listCodes(db, enquiryId),
		countExcerptsByCode(db, enquiryId)
	]);
	const { withdrawn_at: _w, ...shown } = interview;
	return {
		enquiry: access.enquiry,
		role: access.role,
		canWork: canWorkOnMaterial(actor, access),
		interview: shown,
		sentences: splitSentences(interview.body),
		excerpts,
		parts: markBody(interview.body, excerpts),
		tree: buildTree(codes, counts)
	};
}

const describeRange = (text: string) => {
	const words = text.replace(/\s+/g, ' ').trim();
	return words.length > 60 ? `“${words.slice(0, 57)}…”` : `“${words}”`;
};

/**
 * Codes a passage of an interview: the exact range selected with the mouse, or else the first to
 * last sentence chosen from the lists. The same range as an existing excerpt adds the codes to
 * it; a range partly over an existing excerpt is refused, naming it (excerpts never overlap).
 * A code merged or deleted since the form was opened is refused with where it went.
 */
export async function codePassage(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string,
	input: PassageInput
): Promise<{ ok: true; excerptId: string; added: number } | CodingFailure> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const interview = await findCodableInterview(db, enquiryId, interviewId);
	if (!interview) return { ok: false, reason: 'not-found' };
	if (interview.withdrawn_at !== null || !interview.body.trim())
		return { ok: false, reason: 'nothing-to-code' };

	const errors: FieldErrors = {};
	const body = interview.body;
	let start: number | undefined;
	let end: number | undefined;
	if (input.start !== undefined && input.end !== undefined) {
		start = input.start;
		end = input.end;
	} else if (input.from !== undefined || input.to !== undefined) {
		const sentences = splitSentences(body);
		const first = sentences[(input.from ?? input.to ?? 0) - 1];
		const last = sentences[(input.to ?? input.from ?? 0) - 1];
		if (!first || !last) errors.from = 'Choose the first and last sentence from the lists';
		else if (last.n < first.n)
			errors.to = 'The last sentence must come after the first one. Choose them again.';
		else {
			start = first.start;
			end = last.end;
		}
	} else errors.from = 'Choose the passage: its first and last sentence, or select it in the text';
	let range: { start: number; end: number } | null = null;
	if (start !== undefined && end !== undefined && !errors.from && !errors.to) {
		if (start < 0 || end > body.length || start >= end)
			errors.from = 'That passage is not inside this interview. Choose it again.';
		else {
			range = trimRange(body, start, end);
			if (!range)
				errors.from = 'The passage you chose is only spaces or line breaks. Choose some words.';
		}
	}
	const codeIds = [...new Set(input.codes)];
	if (!codeIds.length && !input.newCode)
		errors.codes = 'Choose at least one code, or type the name of a new one';
	if (Object.keys(errors).length || !range) return { ok: false, reason: 'invalid', errors };

	const limited = await consumeRateLimit(db, `enquiries.code:user:${access.actor.id}`, CODING_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };

	const { start: s, end: e } = range;
	const result = await refusable<{ ok: true; excerptId: string; added: number }, string>(
		() =>
			db.transaction().execute(async (trx) => {
				const known = codeIds.length
					? await trx
							.selectFrom('enquiry_code')
							.select(['id', 'name'])
							.where('enquiry_id', '=', enquiryId)
							.where('id', 'in', codeIds)
							.execute()
					: [];
				const missing = codeIds.filter((id) => !known.some((k) => k.id === id));
				if (missing.length) {
					const merges = await findMerges(trx, enquiryId, missing);
					const merged = merges[0];
					throw new Refusal(
						merged
							? `codes:The code “${merged.from_name}” was merged into “${merged.into_name}”. Choose the codes again.`
							: 'codes:One of the codes you chose has been deleted. Choose the codes again.'
					);
				}
				const ids = known.map((k) => k.id);
				if (input.newCode) {
					const same = await trx
						.selectFrom('enquiry_code')
						.select('id')
						.where('enquiry_id', '=', enquiryId)
						.where(sql<string>`lower(name)`, '=', input.newCode.toLowerCase())
						.executeTakeFirst();
					ids.push(
						same?.id ?? (await insertCode(trx, enquiryId, access.actor.id, input.newCode, '', null))
					);
				}
				const overlapping = await trx
					.selectFrom('enquiry_excerpt')
					.select(['id', 'start_offset', 'end_offset', 'text'])
					.where('interview_id', '=', interviewId)
					.where('start_offset', '<', e)
					.where('end_offset', '>', s)
					.orderBy('start_offset')
					.execute();
				const exact = overlapping.find((x) => x.start_offset === s && x.end_offset === e);
				const clash = overlapping.find((x) => x !== exact);
				if (clash)
					throw new Refusal(
						`from:That passage overlaps one already coded: ${describeRange(clash.text)}. Choose the same passage exactly to add codes to it, or a passage outside it.`
					);
				const now = nowIso();
				const excerptId = exact?.id ?? newId();
				if (!exact)
					await trx
						.insertInto('enquiry_excerpt')
						.values({
							id: excerptId,
							enquiry_id: enquiryId,
							interview_id: interviewId,
							participant_id: interview.participant_id,
							start_offset: s,
							end_offset: e,
							text: body.slice(s, e),
							created_by: access.actor.id,
							created_at: now
						})
						.execute();
				const already = exact
					? (
							await trx
								.selectFrom('enquiry_coding')
								.select('code_id')
								.where('excerpt_id', '=', excerptId)
								.execute()
						).map((r) => r.code_id)
					: [];
				const fresh = [...new Set(ids)].filter((id) => !already.includes(id));
				if (fresh.length)
					await trx
						.insertInto('enquiry_coding')
						.values(
							fresh.map((code_id) => ({
								excerpt_id: excerptId,
								code_id,
								coded_by: access.actor.id,
								coded_at: now
							}))
						)
						.execute();
				return { ok: true as const, excerptId, added: fresh.length };
			}),
		'race'
	);
	if (result.ok) return result;
	if (result.reason === 'race')
		return {
			ok: false,
			reason: 'invalid',
			errors: {
				form: 'Someone coded this passage at the same moment. Look again and try once more.'
			}
		};
	const [field, ...message] = result.reason.split(':');
	return { ok: false, reason: 'invalid', errors: { [field!]: message.join(':') } };
}

async function findExcerpt(db: Db, enquiryId: string, interviewId: string, excerptId: string) {
	return db
		.selectFrom('enquiry_excerpt')
		.select(['id'])
		.where('id', '=', excerptId)
		.where('enquiry_id', '=', enquiryId)
		.where('interview_id', '=', interviewId)
		.executeTakeFirst();
}

/** Takes one code off an excerpt; an excerpt left with no code goes. */
export async function removeCodeFromExcerpt(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string,
	excerptId: string,
	codeId: string
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	return db.transaction().execute(async (trx) => {
		if (!(await findExcerpt(trx, enquiryId, interviewId, excerptId)))
			return { ok: false as const, reason: 'not-found' as const };
		await trx
			.deleteFrom('enquiry_coding')
			.where('excerpt_id', '=', excerptId)
			.where('code_id', '=', codeId)
			.execute();
		await deleteUncodedExcerpts(trx, [excerptId]);
		return { ok: true as const };
	});
}

/** Deletes an excerpt and its codings (the interview's words stay). */
export async function deleteExcerpt(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string,
	excerptId: string
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
	const access = await teamAccess(db, actor, enquiryId, 'write');
	if (!access) return { ok: false, reason: 'not-found' };
	const result = await db
		.deleteFrom('enquiry_excerpt')
		.where('id', '=', excerptId)
		.where('enquiry_id', '=', enquiryId)
		.where('interview_id', '=', interviewId)
		.executeTakeFirst();
	return Number(result.numDeletedRows) ? { ok: true } : { ok: false, reason: 'not-found' };
}
