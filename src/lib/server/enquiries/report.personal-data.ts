import type { PersonalDataRegistration } from '../your-data/your-data.types';

// The report belongs to the enquiry, not to whoever last edited a section or added a quote: when
// a team member deletes their account, the report stays and only their name comes off it. The
// words of a quote are a participant's, so a team member's download lists where they added
// quotes, not the words.

export const enquiryReportSection: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_report_section',
	personColumns: ['updated_by'],
	kind: 'personal',
	onDelete: 'Report sections you last changed stay in their enquiry’s report, without your name.',
	exportAs: 'enquiryReportSectionsYouLastChanged',
	async export(db, person) {
		const rows = await db
			.selectFrom('enquiry_report_section')
			.select(['enquiry_id', 'heading', 'body', 'updated_at'])
			.where('updated_by', '=', person.id)
			.orderBy('updated_at')
			.execute();
		return rows.map(({ enquiry_id, ...r }) => ({
			...r,
			address: `/enquiries/${enquiry_id}/report`
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_report_section')
			.set({ updated_by: null })
			.where('updated_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryReportQuote: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_report_quote',
	personColumns: ['added_by'],
	kind: 'personal',
	onDelete: 'Quotes you added stay in their enquiry’s report, without your name.',
	exportAs: 'enquiryReportQuotesYouAdded',
	async export(db, person) {
		const rows = await db
			.selectFrom('enquiry_report_quote')
			.select(['enquiry_id', 'section_id', 'added_at'])
			.where('added_by', '=', person.id)
			.orderBy('added_at')
			.execute();
		return rows.map(({ enquiry_id, section_id, ...r }) => ({
			...r,
			address: `/enquiries/${enquiry_id}/report/sections/${section_id}`
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_report_quote')
			.set({ added_by: null })
			.where('added_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryFollowOn: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_follow_on',
	personColumns: ['added_by'],
	kind: 'personal',
	onDelete: 'Links you added from an enquiry to what followed stay, without your name.',
	exportAs: 'enquiryFollowOnLinksYouAdded',
	async export(db, person) {
		return db
			.selectFrom('enquiry_follow_on')
			.select(['enquiry_id', 'kind', 'title', 'path', 'added_at'])
			.where('added_by', '=', person.id)
			.orderBy('added_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_follow_on')
			.set({ added_by: null })
			.where('added_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const REPORT_PERSONAL_DATA = [
	enquiryReportSection,
	enquiryReportQuote,
	enquiryFollowOn
] as const;
