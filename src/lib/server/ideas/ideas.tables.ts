import type { Insertable, Selectable } from 'kysely';

/** Where an idea has got to. */
export const IDEA_STAGES = ['new', 'gathering-support', 'happening', 'done', 'not-now'] as const;
export type IdeaStage = (typeof IDEA_STAGES)[number];

/** What an idea can become. 'decision' is added by the decisions feature. */
export const IDEA_OUTCOME_KINDS = ['event', 'pilot', 'decision'] as const;
export type IdeaOutcomeKind = (typeof IDEA_OUTCOME_KINDS)[number];

export interface IdeaTable {
	id: string;
	slug: string;
	title: string;
	/** Markdown, sanitised when rendered. */
	body: string;
	author_id: string | null;
	stage: IdeaStage;
	/** Kept in each support's transaction, so "most supported" reads an index. */
	support_count: number;
	became_kind: IdeaOutcomeKind | null;
	/** The event's, pilot's or decision's id; text, no foreign key (another feature's table). */
	became_id: string | null;
	became_title: string | null;
	became_path: string | null;
	removed_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface IdeaStageChangeTable {
	id: string;
	idea_id: string;
	from_stage: IdeaStage;
	to_stage: IdeaStage;
	/** Public: why it moved. */
	note: string;
	changed_by: string | null;
	changed_at: string;
}

export interface IdeaSupportTable {
	idea_id: string;
	user_id: string;
	would_come: number;
	would_help: number;
	knows_someone: number;
	note: string;
	created_at: string;
	updated_at: string;
}

export interface IdeaCommentTable {
	id: string;
	idea_id: string;
	author_id: string | null;
	body: string;
	created_at: string;
	edited_at: string | null;
}

export type Idea = Selectable<IdeaTable>;
export type NewIdea = Insertable<IdeaTable>;
export type IdeaComment = Selectable<IdeaCommentTable>;

export interface IdeasTables {
	idea: IdeaTable;
	idea_stage_change: IdeaStageChangeTable;
	idea_support: IdeaSupportTable;
	idea_comment: IdeaCommentTable;
}
