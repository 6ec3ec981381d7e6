import type { PersonalDataRegistration } from '../your-data/your-data.types';

// Enquiries, coding (part B). Excerpts, codes and codings are the team's shared analysis: a
// person's download lists the passages they coded and their memos; deleting the account keeps
// the analysis (the team's report rests on it) without their name. Memos are their own writing:
// removed, or kept without their name, as they choose for their contributions.

export const enquiryExcerpt: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_excerpt',
	personColumns: ['created_by'],
	kind: 'personal',
	onDelete:
		'Passages you coded in an enquiry stay in its analysis, without your name (the team’s report rests on them).',
	exportAs: 'enquiryExcerptsYouCoded',
	async export(db, person) {
		const rows = await db
			.selectFrom('enquiry_excerpt as e')
			.innerJoin('enquiry as q', 'q.id', 'e.enquiry_id')
			.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
			.select([
				'e.id',
				'e.enquiry_id',
				'q.title as enquiry',
				'e.interview_id',
				'e.text',
				'e.start_offset',
				'e.end_offset',
				'e.created_at'
			])
			.where('e.created_by', '=', person.id)
			.where('p.withdrawn_at', 'is', null)
			.orderBy('e.created_at')
			.execute();
		return rows.map(({ enquiry_id, interview_id, ...r }) => ({
			...r,
			address: `/enquiries/${enquiry_id}/interviews/${interview_id}/code#excerpt-${r.id}`
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_excerpt')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryCoding: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_coding',
	personColumns: ['coded_by'],
	kind: 'personal',
	onDelete: 'Codes you gave to passages stay, without your name.',
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_coding')
			.set({ coded_by: null })
			.where('coded_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryCode: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_code',
	personColumns: ['created_by'],
	kind: 'personal',
	onDelete: 'Codes you added to an enquiry’s codebook stay, without your name.',
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_code')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryCodeMerge: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_code_merge',
	personColumns: ['merged_by'],
	kind: 'personal',
	onDelete: 'Codes you merged stay merged, without your name.',
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_code_merge')
			.set({ merged_by: null })
			.where('merged_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryMemo: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_memo',
	personColumns: ['author_id'],
	kind: 'contribution',
	onDelete:
		'Memos you wrote on an enquiry’s codes are removed, or kept without your name, as you choose.',
	exportAs: 'enquiryMemosYouWrote',
	async export(db, person) {
		return db
			.selectFrom('enquiry_memo as m')
			.innerJoin('enquiry as q', 'q.id', 'm.enquiry_id')
			.leftJoin('enquiry_code as c', 'c.id', 'm.code_id')
			.select([
				'm.id',
				'q.title as enquiry',
				'c.name as code',
				'm.body',
				'm.created_at',
				'm.updated_at'
			])
			.where('m.author_id', '=', person.id)
			.orderBy('m.created_at')
			.execute();
	},
	async erase(trx, { person, contributions }) {
		const result =
			contributions === 'remove'
				? await trx.deleteFrom('enquiry_memo').where('author_id', '=', person.id).executeTakeFirst()
				: await trx
						.updateTable('enquiry_memo')
						.set({ author_id: null })
						.where('author_id', '=', person.id)
						.executeTakeFirst();
		return Number('numDeletedRows' in result ? result.numDeletedRows : result.numUpdatedRows);
	}
};

export const CODING_PERSONAL_DATA = [
	enquiryMemo,
	enquiryCodeMerge,
	enquiryCoding,
	enquiryExcerpt,
	enquiryCode
] as const;
