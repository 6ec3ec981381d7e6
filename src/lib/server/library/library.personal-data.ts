import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { refreshCaseStudySearch } from './case-studies.search';

// Case studies are public contributions, like posts: deleting an account removes them or keeps
// them without the author's name ("a former member"), as the person chooses. Being named as
// involved is personal: the rows go with the account, so their name leaves every case study.

export const caseStudies: PersonalDataRegistration = {
	feature: 'library',
	table: 'case_study',
	personColumns: ['author_id', 'reviewed_by'],
	kind: 'contribution',
	onDelete:
		'Case studies you wrote are removed, or kept without your name (shown as from a former member), as you choose.',
	exportAs: 'caseStudiesYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('case_study')
			.selectAll()
			.where('author_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		const versions = rows.length
			? await db
					.selectFrom('case_study_version')
					.selectAll()
					.where(
						'case_study_id',
						'in',
						rows.map((r) => r.id)
					)
					.orderBy('case_study_id')
					.orderBy('version')
					.execute()
			: [];
		return rows.map(({ reviewed_by: _reviewer, ...r }) => ({
			...r,
			address: `/library/${r.slug}`,
			publishedVersions: versions
				.filter((v) => v.case_study_id === r.id)
				.map(({ edited_by: _e, published_by: _p, ...v }) => v)
		}));
	},
	async erase(trx, { person, contributions }) {
		let changed = 0;
		if (contributions === 'remove') {
			const theirs = await trx
				.selectFrom('case_study')
				.select('id')
				.where('author_id', '=', person.id)
				.execute();
			const removed = await trx
				.deleteFrom('case_study')
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			changed += Number(removed.numDeletedRows);
			// They leave search with them (a kept one's document never named its author).
			for (const { id } of theirs) await refreshCaseStudySearch(trx, id);
		} else {
			const kept = await trx
				.updateTable('case_study')
				.set({ author_id: null })
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			changed += Number(kept.numUpdatedRows);
		}
		const reviews = await trx
			.updateTable('case_study')
			.set({ reviewed_by: null })
			.where('reviewed_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(reviews.numUpdatedRows);
	}
};

export const caseStudyVersions: PersonalDataRegistration = {
	feature: 'library',
	table: 'case_study_version',
	personColumns: ['edited_by', 'published_by'],
	kind: 'contribution',
	onDelete: 'Published versions of your case studies go or stay with them, without your name.',
	// Exported with the case studies they belong to.
	async erase(trx, { person }) {
		const edited = await trx
			.updateTable('case_study_version')
			.set({ edited_by: null })
			.where('edited_by', '=', person.id)
			.executeTakeFirst();
		const published = await trx
			.updateTable('case_study_version')
			.set({ published_by: null })
			.where('published_by', '=', person.id)
			.executeTakeFirst();
		return Number(edited.numUpdatedRows) + Number(published.numUpdatedRows);
	}
};

export const caseStudyPeople: PersonalDataRegistration = {
	feature: 'library',
	table: 'case_study_person',
	personColumns: ['user_id', 'asked_by'],
	kind: 'personal',
	onDelete:
		'Your name comes off every case study that named you, and your answers are deleted. People you named lose the link to you as the one who asked.',
	exportAs: 'caseStudiesNamingYou',
	async export(db, person) {
		return db
			.selectFrom('case_study_person as p')
			.innerJoin('case_study as cs', 'cs.id', 'p.case_study_id')
			.select(['cs.title', 'cs.slug', 'p.role', 'p.state', 'p.asked_at', 'p.answered_at'])
			.where('p.user_id', '=', person.id)
			.orderBy('p.asked_at')
			.execute();
	},
	async erase(trx, { person }) {
		const named = await trx
			.deleteFrom('case_study_person')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		const asked = await trx
			.updateTable('case_study_person')
			.set({ asked_by: null })
			.where('asked_by', '=', person.id)
			.executeTakeFirst();
		return Number(named.numDeletedRows) + Number(asked.numUpdatedRows);
	}
};

export const LIBRARY_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	caseStudyPeople,
	caseStudies,
	caseStudyVersions
];
