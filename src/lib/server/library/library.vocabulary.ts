/**
 * The fixed words of the library (issue 14). Unlike service areas, benefits and barriers (rows
 * in `library_tag` that curators extend), these are part of the model: code branches on them.
 * Keys are stored in the database: never rename one.
 */

/** The continuum of participation, weakest to strongest (domain.md). */
export const CONTINUUM_STAGES = [
	{
		key: 'informing',
		label: 'Informing',
		hint: 'People are told what is happening. Decisions are already made.'
	},
	{
		key: 'consulting',
		label: 'Consulting',
		hint: 'People are asked for their views. The service decides.'
	},
	{
		key: 'engaging',
		label: 'Engaging',
		hint: 'People take part in discussions. Power stays with the service.'
	},
	{
		key: 'co-designing',
		label: 'Co-designing',
		hint: 'People who use the service help design it, as equals.'
	},
	{
		key: 'co-producing',
		label: 'Co-producing',
		hint: 'Planned and delivered together. Power, and sometimes budget, is shared.'
	}
] as const;
export type ContinuumStage = (typeof CONTINUUM_STAGES)[number]['key'];

/** Where a piece of work is now. */
export const WORK_STATUSES = [
	{ key: 'idea', label: 'Idea', hint: 'Being thought about. Not started yet.' },
	{ key: 'pilot', label: 'Pilot', hint: 'Being tried out on a small scale.' },
	{ key: 'running', label: 'Running', hint: 'Part of how the service works now.' },
	{ key: 'finished', label: 'Finished', hint: 'Over. What was learned is still here.' }
] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number]['key'];

export const TAG_KINDS = [
	{ key: 'service-area', label: 'Service area', plural: 'Service areas' },
	{ key: 'benefit', label: 'Benefit', plural: 'Benefits seen' },
	{ key: 'barrier', label: 'Barrier', plural: 'Barriers met' }
] as const;

export function isContinuumStage(value: string): value is ContinuumStage {
	return CONTINUUM_STAGES.some((s) => s.key === value);
}

export function isWorkStatus(value: string): value is WorkStatus {
	return WORK_STATUSES.some((s) => s.key === value);
}

export function stageLabel(key: string): string {
	return CONTINUUM_STAGES.find((s) => s.key === key)?.label ?? key;
}

export function statusLabel(key: string): string {
	return WORK_STATUSES.find((s) => s.key === key)?.label ?? key;
}
