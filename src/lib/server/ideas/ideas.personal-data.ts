import { refreshSearchDocument } from '../search/search.repository';
import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { IDEA_SEARCH } from './ideas.search';

// Ideas are public contributions, like posts: deleting an account removes them, or keeps them
// without the author's name, as the person chooses. Supports name their giver on the idea's
// page, so they always go (and each idea's count is taken again). Comments always go, as blog
// comments do: a comment is part of a conversation, not writing that stands alone. Stage notes
// they wrote as a curator or author stay (they are the idea's public history) without their name.

export const ideaComment: PersonalDataRegistration = {
	feature: 'ideas',
	table: 'idea_comment',
	personColumns: ['author_id'],
	kind: 'personal',
	onDelete: 'Your comments on ideas are removed, whatever you choose for your ideas.',
	exportAs: 'ideaCommentsYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('idea_comment as c')
			.innerJoin('idea as i', 'i.id', 'c.idea_id')
			.select(['c.id', 'c.body', 'c.created_at', 'c.edited_at', 'i.title as idea_title', 'i.slug'])
			.where('c.author_id', '=', person.id)
			.orderBy('c.created_at')
			.execute();
		return rows.map(({ slug, ...r }) => ({ ...r, address: `/ideas/${slug}#comment-${r.id}` }));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('idea_comment')
			.where('author_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const ideaSupport: PersonalDataRegistration = {
	feature: 'ideas',
	table: 'idea_support',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your support for ideas is removed, and each idea’s count goes down.',
	exportAs: 'ideasYouSupport',
	async export(db, person) {
		const rows = await db
			.selectFrom('idea_support as s')
			.innerJoin('idea as i', 'i.id', 's.idea_id')
			.select([
				'i.title as idea_title',
				'i.slug',
				's.would_come',
				's.would_help',
				's.knows_someone',
				's.note',
				's.created_at',
				's.updated_at'
			])
			.where('s.user_id', '=', person.id)
			.orderBy('s.created_at')
			.execute();
		return rows.map(({ slug, would_come, would_help, knows_someone, ...r }) => ({
			...r,
			wouldCome: would_come === 1,
			wouldHelp: would_help === 1,
			knowsSomeone: knows_someone === 1,
			address: `/ideas/${slug}`
		}));
	},
	async erase(trx, { person }) {
		const ideas = await trx
			.selectFrom('idea_support')
			.select('idea_id')
			.where('user_id', '=', person.id)
			.execute();
		if (!ideas.length) return 0;
		await trx.deleteFrom('idea_support').where('user_id', '=', person.id).execute();
		await trx
			.updateTable('idea')
			.set((eb) => ({
				support_count: eb
					.selectFrom('idea_support as s')
					.select(eb.fn.countAll<number>().as('n'))
					.whereRef('s.idea_id', '=', 'idea.id')
			}))
			.where(
				'id',
				'in',
				ideas.map((i) => i.idea_id)
			)
			.execute();
		return ideas.length;
	}
};

export const ideaStageChange: PersonalDataRegistration = {
	feature: 'ideas',
	table: 'idea_stage_change',
	personColumns: ['changed_by'],
	kind: 'personal',
	onDelete:
		'Notes you wrote when moving an idea to another stage stay in its public history, without your name.',
	exportAs: 'ideaStageNotesYouWrote',
	async export(db, person) {
		return db
			.selectFrom('idea_stage_change as s')
			.innerJoin('idea as i', 'i.id', 's.idea_id')
			.select(['i.title as idea_title', 's.from_stage', 's.to_stage', 's.note', 's.changed_at'])
			.where('s.changed_by', '=', person.id)
			.orderBy('s.changed_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('idea_stage_change')
			.set({ changed_by: null })
			.where('changed_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const idea: PersonalDataRegistration = {
	feature: 'ideas',
	table: 'idea',
	personColumns: ['author_id'],
	kind: 'contribution',
	onDelete:
		'Ideas you posted are removed, or kept without your name, as you choose for your posts. What an idea became (an event, a pilot or a decision) is not changed here.',
	exportAs: 'ideasYouPosted',
	async export(db, person) {
		const rows = await db
			.selectFrom('idea')
			.select([
				'id',
				'slug',
				'title',
				'body',
				'stage',
				'support_count',
				'became_kind',
				'became_title',
				'became_path',
				'removed_at',
				'created_at',
				'updated_at'
			])
			.where('author_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({ ...r, address: `/ideas/${r.slug}` }));
	},
	async erase(trx, { person, contributions }) {
		if (contributions === 'remove') {
			const gone = await trx
				.selectFrom('idea')
				.select('id')
				.where('author_id', '=', person.id)
				.execute();
			const result = await trx
				.deleteFrom('idea')
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			// In the same transaction, so search never offers an idea that is gone.
			for (const { id } of gone) await refreshSearchDocument(trx, IDEA_SEARCH, id);
			return Number(result.numDeletedRows);
		}
		const result = await trx
			.updateTable('idea')
			.set({ author_id: null })
			.where('author_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const IDEAS_PERSONAL_DATA = [ideaComment, ideaSupport, ideaStageChange, idea] as const;
