import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { PersonalDataRegistration } from '../your-data/your-data.types';

// What the co-production check keeps about a person, and what "download my data" and "delete
// my account" do with it. Answers are anonymous to owners already; a person's own link to
// their answers (user_id) is theirs to download, and goes when they leave.

const RATING_WORDS = ['never', 'rarely', 'sometimes', 'often', 'always'];

export const frameworkVersion: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'framework_version',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete: 'Framework versions you made stay, because assessments use them, without your name.',
	exportAs: 'frameworkVersionsYouMade',
	async export(db, person) {
		return db
			.selectFrom('framework_version')
			.select(['number', 'name', 'note', 'created_at'])
			.where('created_by', '=', person.id)
			.orderBy('number')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('framework_version')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const assessment: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'assessment',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete:
		'Assessments you own with others stay with them. Assessments only you own are deleted, with everyone’s answers, if you choose to remove your contributions; otherwise they stay, without owners.',
	exportAs: 'assessmentsYouOwn',
	async export(db, person) {
		return db
			.selectFrom('assessment as a')
			.innerJoin('assessment_owner as o', 'o.assessment_id', 'a.id')
			.select(['a.title', 'a.description', 'a.results_visibility', 'a.created_at'])
			.where('o.user_id', '=', person.id)
			.orderBy('a.created_at')
			.execute();
	},
	async erase(trx, context) {
		const { person } = context;
		let changed = 0;
		if (context.contributions === 'remove') {
			const onlyTheirs = await trx
				.selectFrom('assessment_owner as o')
				.select('o.assessment_id')
				.where('o.user_id', '=', person.id)
				.where(({ not, exists, selectFrom }) =>
					not(
						exists(
							selectFrom('assessment_owner as other')
								.select('other.user_id')
								.whereRef('other.assessment_id', '=', 'o.assessment_id')
								.where('other.user_id', '!=', person.id)
						)
					)
				)
				.execute();
			for (const { assessment_id } of onlyTheirs) {
				const removed = await trx
					.deleteFrom('assessment')
					.where('id', '=', assessment_id)
					.executeTakeFirst();
				changed += Number(removed.numDeletedRows);
			}
		}
		const cleared = await trx
			.updateTable('assessment')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(cleared.numUpdatedRows);
	}
};

export const assessmentOwner: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'assessment_owner',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You stop being an owner of any assessment.',
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('assessment_owner')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

/**
 * Invitations sent to the person's address are deleted; those they sent stay, without their
 * name. Both kinds of invitation (to answer, to be a co-owner) work this way.
 */
async function forgetInvitations(
	trx: Transaction<DB>,
	table: 'assessment_invitation' | 'assessment_owner_invitation',
	person: { id: string; email: string }
): Promise<number> {
	const deleted = await trx.deleteFrom(table).where('email', '=', person.email).executeTakeFirst();
	const cleared = await trx
		.updateTable(table)
		.set({ invited_by: null })
		.where('invited_by', '=', person.id)
		.executeTakeFirst();
	return Number(deleted.numDeletedRows) + Number(cleared.numUpdatedRows);
}

export const assessmentInvitation: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'assessment_invitation',
	// Also found by `email`: invitations sent to the person.
	personColumns: ['invited_by'],
	kind: 'personal',
	onDelete:
		'Invitations sent to your address are deleted. Invitations you sent stay with the assessment, without your name.',
	exportAs: 'assessmentInvitations',
	async export(db, person) {
		const base = db
			.selectFrom('assessment_invitation as i')
			.innerJoin('assessment_round as r', 'r.id', 'i.round_id')
			.innerJoin('assessment as a', 'a.id', 'r.assessment_id')
			.select(['a.title', 'r.number as round', 'i.email', 'i.created_at', 'i.used_at']);
		const [sent, received] = await Promise.all([
			base.where('i.invited_by', '=', person.id).execute(),
			base.where('i.email', '=', person.email).execute()
		]);
		return { sentByYou: sent, sentToYou: received };
	},
	erase: (trx, { person }) => forgetInvitations(trx, 'assessment_invitation', person)
};

export const assessmentOwnerInvitation: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'assessment_owner_invitation',
	// Also found by `email`: invitations to become a co-owner sent to the person.
	personColumns: ['invited_by'],
	kind: 'personal',
	onDelete:
		'Invitations to become a co-owner sent to your address are deleted. Ones you sent stay, without your name.',
	exportAs: 'coOwnerInvitations',
	async export(db, person) {
		const base = db
			.selectFrom('assessment_owner_invitation as i')
			.innerJoin('assessment as a', 'a.id', 'i.assessment_id')
			.select(['a.title', 'i.email', 'i.created_at', 'i.expires_at']);
		const [sent, received] = await Promise.all([
			base.where('i.invited_by', '=', person.id).execute(),
			base.where('i.email', '=', person.email).execute()
		]);
		return { sentByYou: sent, sentToYou: received };
	},
	erase: (trx, { person }) => forgetInvitations(trx, 'assessment_owner_invitation', person)
};

export const assessmentResponse: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'assessment_response',
	personColumns: ['user_id'],
	kind: 'contribution',
	onDelete:
		'Your answers to assessments are deleted if you choose to remove your contributions. Otherwise they stay in the results, no longer linked to you (owners never saw who you were).',
	exportAs: 'assessmentAnswers',
	async export(db, person) {
		const responses = await db
			.selectFrom('assessment_response as r')
			.innerJoin('assessment_round as d', 'd.id', 'r.round_id')
			.innerJoin('assessment as a', 'a.id', 'd.assessment_id')
			.select([
				'r.id',
				'a.title',
				'd.number as round',
				'r.perspective',
				'r.continuum',
				'r.submitted_at'
			])
			.where('r.user_id', '=', person.id)
			.execute();
		const ids = responses.map((r) => r.id);
		const answers = ids.length
			? await db
					.selectFrom('assessment_answer as x')
					.innerJoin('framework_statement as s', 's.id', 'x.statement_id')
					.innerJoin('framework_dimension as d', 'd.id', 's.dimension_id')
					.select(['x.response_id', 's.text', 'x.rating'])
					.where('x.response_id', 'in', ids)
					.orderBy('d.position')
					.orderBy('s.position')
					.execute()
			: [];
		const comments = ids.length
			? await db
					.selectFrom('assessment_comment as c')
					.innerJoin('framework_dimension as d', 'd.id', 'c.dimension_id')
					.select(['c.response_id', 'd.title', 'c.comment'])
					.where('c.response_id', 'in', ids)
					.orderBy('d.position')
					.execute()
			: [];
		return responses.map((r) => ({
			assessment: r.title,
			round: r.round,
			perspective: r.perspective,
			continuum: r.continuum,
			submittedAt: r.submitted_at,
			answers: answers
				.filter((a) => a.response_id === r.id)
				.map((a) => ({
					statement: a.text,
					answer: a.rating === null ? 'don’t know' : (RATING_WORDS[a.rating] ?? String(a.rating))
				})),
			comments: comments
				.filter((c) => c.response_id === r.id)
				.map((c) => ({ dimension: c.title, comment: c.comment }))
		}));
	},
	async erase(trx, context) {
		const { person } = context;
		if (context.contributions === 'remove') {
			const removed = await trx
				.deleteFrom('assessment_response')
				.where('user_id', '=', person.id)
				.executeTakeFirst();
			return Number(removed.numDeletedRows);
		}
		// Submitted answers stay in the results, unlinked; unfinished ones go.
		const unfinished = await trx
			.deleteFrom('assessment_response')
			.where('user_id', '=', person.id)
			.where('submitted_at', 'is', null)
			.executeTakeFirst();
		const unlinked = await trx
			.updateTable('assessment_response')
			.set({ user_id: null, resume_hash: null })
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(unfinished.numDeletedRows) + Number(unlinked.numUpdatedRows);
	}
};

export const selfCheck: PersonalDataRegistration = {
	feature: 'assessments',
	table: 'self_check',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Checks you took on your own and saved are deleted.',
	exportAs: 'checksYouSaved',
	async export(db, person) {
		const rows = await db
			.selectFrom('self_check')
			.select(['label', 'answers', 'created_at'])
			.where('user_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({ ...r, answers: JSON.parse(r.answers) as unknown }));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('self_check')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const ASSESSMENTS_PERSONAL_DATA = [
	assessmentResponse,
	assessmentInvitation,
	assessmentOwnerInvitation,
	assessment,
	assessmentOwner,
	selfCheck,
	frameworkVersion
];
