import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { decisionLinks, latestRoundResult, startDecision } from '../decisions/decisions.service';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { canFacilitateStatement } from './statements.permissions';
import {
	claimAmendmentsForDecision,
	findAmendment,
	findStatement,
	findVersion,
	releaseAmendmentDecision
} from './statements.repository';
import {
	applyAmendments,
	declineAmendments,
	type Invalid,
	type NotFound
} from './statements.service';

/**
 * Amendments and the decisions that settle them. A facilitator puts one amendment, or several
 * as a package, to a consensus decision of all members (issue 15: "the facilitators put
 * amendments to a decision"); when it closes, the facilitator records what it decided, and an
 * agreed package becomes one new version. The decision may take several rounds: what counts
 * is its latest round. The statement calls the decisions feature, never the other way round.
 */

type Db = Kysely<DB>;
const invalid = (errors: FieldErrors): Invalid => ({ ok: false, reason: 'invalid', errors });

/** A claim left by a put that did not finish, never a decision's id. */
const CLAIM_PREFIX = 'claim:';

/** The decision an amendment was put to, or null (a half-made claim counts as none). */
export function decisionOf(amendment: { decision_id: string | null }): string | null {
	const id = amendment.decision_id;
	return id && !id.startsWith(CLAIM_PREFIX) ? id : null;
}

function quote(text: string | null): string {
	return (text ?? '')
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');
}

/**
 * Puts open amendments of the current version to a consensus decision of all members: the
 * decision starts as a draft for the facilitator to check and open. Refused, with nothing made,
 * for amendments already put to a decision, decided, or written against an older version.
 */
export async function putAmendmentsToDecision(
	db: Db,
	actor: Actor | null | undefined,
	input: { statementId: string; amendmentIds: string[]; note: string },
	now = nowIso()
): Promise<{ ok: true; slug: string } | Invalid | NotFound> {
	assertCan(canFacilitateStatement(actor), 'Only curators can put amendments to a decision.');
	const ids = [...new Set(input.amendmentIds)];
	if (!ids.length) return invalid({ amendmentIds: 'Choose at least one amendment.' });
	const statement = await findStatement(db, { id: input.statementId });
	if (!statement) return { ok: false, reason: 'not-found' };
	const version = await findVersion(db, statement.id, statement.current_version);
	if (!version) return { ok: false, reason: 'not-found' };
	const amendments = await Promise.all(ids.map((id) => findAmendment(db, id)));
	for (const a of amendments) {
		if (!a || a.statement_id !== statement.id)
			return invalid({ amendmentIds: 'One of the amendments chosen is not on this statement.' });
		if (a.status !== 'open')
			return invalid({ amendmentIds: 'An amendment chosen has already been decided.' });
		if (a.version_id !== version.id)
			return invalid({
				amendmentIds: `An amendment chosen was written against an older version. Only amendments to version ${version.number} can be put to a decision.`
			});
		if (a.decision_id)
			return invalid({
				amendmentIds:
					'An amendment chosen is already being decided. Record the outcome of that decision when it closes.'
			});
	}
	const claim = `${CLAIM_PREFIX}${newId()}`;
	if ((await claimAmendmentsForDecision(db, ids, version.id, claim)) !== ids.length) {
		await releaseAmendmentDecision(db, claim, null);
		return invalid({
			amendmentIds: 'Someone else has just put one of these amendments to a decision or decided it.'
		});
	}
	const chosen = amendments.filter((a) => a !== undefined);
	const first = chosen[0]!;
	const many = chosen.length > 1;
	const proposal = [
		many
			? `Agree these ${chosen.length} amendments to “${statement.title}”, together, as version ${version.number + 1}.`
			: `Agree this amendment to “${statement.title}”, as version ${version.number + 1}.`,
		...chosen.map((a) =>
			[
				`### ${a.kind === 'add' ? 'A new clause' : a.kind === 'delete' ? 'Remove a clause' : 'Change a clause'}`,
				a.kind !== 'add' ? `Now:\n\n${quote(a.original_text)}` : '',
				a.kind !== 'delete' ? `Proposed:\n\n${quote(a.new_text)}` : '',
				`Why, in the words of ${a.author_name ?? 'a former member'}:\n\n${quote(a.reason)}`,
				`[Read the amendment, its comments and support](/statement/amendments/${a.id})`
			]
				.filter(Boolean)
				.join('\n\n')
		),
		input.note ? `A note from the facilitator:\n\n${quote(input.note)}` : ''
	]
		.filter(Boolean)
		.join('\n\n');
	let started: { id: string; slug: string };
	try {
		started = await startDecision(
			db,
			actor,
			{
				question: many
					? `Should we agree ${chosen.length} amendments to “${statement.title}”?`
					: `Should we agree the amendment to “${statement.title}”?`,
				proposal,
				process: 'consensus',
				audience: 'members',
				origin: {
					kind: 'amendment',
					id: first.id,
					title: many
						? `${chosen.length} amendments to “${statement.title}”`
						: `An amendment to “${statement.title}”`,
					path: `/statement/amendments/${first.id}`
				}
			},
			now
		);
	} catch (failure) {
		await releaseAmendmentDecision(db, claim, null);
		throw failure;
	}
	await db.transaction().execute(async (trx) => {
		await releaseAmendmentDecision(trx, claim, started.id);
		await recordAudit(trx, {
			actor: actor!,
			action: 'statement.amendments_put_to_decision',
			target: { type: 'decision', id: started.id },
			detail: { amendmentIds: ids }
		});
	});
	return { ok: true, slug: started.slug };
}

/** Where each amendment's decision stands (its latest round), for the facilitator's page. */
export async function amendmentDecisions(
	db: Db,
	amendments: { id: string; decision_id: string | null }[]
) {
	const found = await Promise.all(
		amendments.map(async (a) => {
			const id = decisionOf(a);
			return [a.id, id ? await latestRoundResult(db, id) : undefined] as const;
		})
	);
	const known = new Map<string, NonNullable<(typeof found)[number][1]>>();
	for (const [id, decision] of found) if (decision) known.set(id, decision);
	return known;
}

/** The decisions' addresses for links (the amendment and versions pages). */
export async function decisionAddresses(db: Db, ids: (string | null)[]) {
	const links = await decisionLinks(
		db,
		ids.filter((id): id is string => !!id && !id.startsWith(CLAIM_PREFIX))
	);
	return new Map([...links].map(([id, link]) => [id, `/decisions/${link.slug}`]));
}

/**
 * Records what the network decided on amendments. Amendments put to a decision follow it: not
 * while it is open, and only as its latest round concluded (agreed when it passed, not agreed
 * when it did not). Agreed ones make one new version, which names the decision.
 */
export async function decideAmendments(
	db: Db,
	actor: Actor | null | undefined,
	input: {
		statementId: string;
		amendmentIds: string[];
		outcome: 'agreed' | 'not-agreed';
		note: string;
	},
	now = nowIso()
): Promise<{ ok: true; versionNumber: number | null } | Invalid | NotFound> {
	assertCan(canFacilitateStatement(actor), 'Only curators can record decisions on amendments.');
	const amendments = (
		await Promise.all(input.amendmentIds.map((id) => findAmendment(db, id)))
	).filter((a) => a !== undefined);
	const decisions = await amendmentDecisions(db, amendments);
	const held = new Set<string>();
	for (const a of amendments) {
		const decision = decisions.get(a.id);
		if (!decisionOf(a)) continue;
		if (!decision || decision.status !== 'closed' || decision.result === null)
			return invalid({
				amendmentIds: `An amendment chosen is being decided in “${decision?.question ?? 'a decision'}”. Record the outcome once that decision has closed and its outcome is written.`
			});
		const passed = decision.result === 'passed';
		if (passed !== (input.outcome === 'agreed'))
			return invalid({
				outcome: `“${decision.question}” ${passed ? 'passed' : 'did not pass'}, so its amendments are ${passed ? 'agreed' : 'not agreed'}. Choose that, or choose other amendments.`
			});
		held.add(decision.id);
	}
	if (held.size > 1)
		return invalid({
			amendmentIds:
				'The amendments chosen were settled by different decisions. Record one at a time.'
		});
	const decided = {
		statementId: input.statementId,
		amendmentIds: input.amendmentIds,
		decisionId: held.size ? [...held][0]! : null,
		note: input.note
	};
	return input.outcome === 'agreed'
		? applyAmendments(db, actor, decided, now)
		: declineAmendments(db, actor, decided, now);
}
