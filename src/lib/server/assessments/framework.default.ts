/**
 * The framework every instance starts with, in plain English. One dimension for each element
 * of co-productive work and for each of Edgar Cahn's core values (see ../shared/domain.md),
 * each with statements rated Never … Always, and guidance for when it comes out weakest.
 * Curators edit it in the app; every edit makes a new version.
 *
 * Migration 2026-11-26-07 seeds version 1 from this list on a new database. To change the
 * framework of instances that already run, add a version (as a curator's edit does); edits here
 * only change what new instances start with.
 */
export interface DefaultDimension {
	key: string;
	kind: 'element' | 'value';
	title: string;
	description: string;
	statements: string[];
	guidance: string;
}

export const DEFAULT_FRAMEWORK_NAME = 'Co-production check';

export const DEFAULT_DIMENSIONS: DefaultDimension[] = [
	{
		key: 'involvement',
		kind: 'element',
		title: 'People who use the service are closely involved',
		description: 'How much the people who use the service shape it, not just comment on it.',
		statements: [
			'People who use the service help decide what the work is for.',
			'People who use the service take part in the work itself, not only in consultations.',
			'Ideas from people who use the service change what we do.',
			'People who use the service can take part in ways that suit them (time, place, format).'
		],
		guidance:
			'Start small and early: invite two or three people who use the service to the next planning meeting, pay their expenses, and ask them to set one item on the agenda. Offer more than one way to take part (in person, online, on the phone).'
	},
	{
		key: 'right-people',
		kind: 'element',
		title: 'The right people are involved from the start',
		description: 'Whether everyone with a stake was there at the beginning, not brought in late.',
		statements: [
			'The people who use the service were involved before decisions were made.',
			'Frontline staff, managers and partners were all involved from the start.',
			'We asked who is missing, and invited them.',
			'People who find it hard to take part were supported to join.'
		],
		guidance:
			'Map who uses, delivers, funds and is affected by the service, and mark who is not yet involved. Ask a local charity or a co-production champion to help reach people who are seldom heard.'
	},
	{
		key: 'shared-decisions',
		kind: 'element',
		title: 'We agree how decisions are made, and share power',
		description: 'A clear, agreed way of reaching decisions, where everyone’s voice has weight.',
		statements: [
			'We agreed together how decisions are made.',
			'Everyone understands how a decision was reached.',
			'People who use the service have a real say in the final decisions.',
			'Disagreements are talked through openly, not settled by whoever is most senior.'
		],
		guidance:
			'Write down, together, how decisions will be made (for example: consensus first, then a vote with one voice each) and share it in plain English. Check at the end of each meeting whether everyone felt heard.'
	},
	{
		key: 'shared-values',
		kind: 'element',
		title: 'We agree values and expectations together',
		description: 'Values agreed at the start, and clear expectations of what each person gets.',
		statements: [
			'We agreed our values together at the start.',
			'Everyone knows what is expected of them, and what they can expect in return.',
			'We check from time to time that we still live by what we agreed.'
		],
		guidance:
			'Hold a short session to agree three to five shared values and what each person can expect (time, expenses, feedback). Put them on the first page of every agenda and look at them again every few months.'
	},
	{
		key: 'motivations',
		kind: 'element',
		title: 'We understand why people take part',
		description: 'Knowing what each person hopes to get from taking part, and respecting it.',
		statements: [
			'We know why each person is taking part, and what they hope to get from it.',
			'People get something back that matters to them.',
			'We make it easy for people to step back, and welcome them when they return.'
		],
		guidance:
			'Ask each person, one to one, what they want from taking part (skills, a reference, a say, company) and how you will know it is working for them. Review it together.'
	},
	{
		key: 'assets',
		kind: 'value',
		title: 'Everyone’s strengths are used',
		description: 'Seeing every person as someone with something to give, and using it.',
		statements: [
			'We know what skills and experience each person brings.',
			'People are asked to use their strengths, not only to share their problems.',
			'Lived experience is treated as expertise.'
		],
		guidance:
			'Run a skills and strengths round at the next meeting: everyone says one thing they are good at or know about. Then give people roles that use those strengths.'
	},
	{
		key: 'valuing-contribution',
		kind: 'value',
		title: 'Every contribution is valued',
		description: 'Recognising and rewarding the time and work everyone puts in.',
		statements: [
			'People are thanked and told what difference their contribution made.',
			'People who are not paid to be here have their expenses covered.',
			'Unpaid contributors are recognised or rewarded fairly (for example time credits, payment, training).'
		],
		guidance:
			'Agree a policy on expenses and payment for people who are not paid to take part, and pay promptly. After each piece of work, tell everyone what changed because of them.'
	},
	{
		key: 'reciprocity',
		kind: 'value',
		title: 'It works both ways',
		description: 'Two-way exchange: everyone gives and everyone gains.',
		statements: [
			'Everyone gives something and gets something back.',
			'Staff learn from people who use the service, as well as the other way round.',
			'People who use the service can help each other, not only be helped.'
		],
		guidance:
			'Look for chances for people to help each other: peer support, buddying, people who use the service leading part of a session or training staff.'
	},
	{
		key: 'networks-trust',
		kind: 'value',
		title: 'We build networks and trust',
		description: 'Relationships that last, across services, organisations and communities.',
		statements: [
			'People trust each other enough to be honest.',
			'The work connects people to others in their community.',
			'Relationships last beyond a single project.',
			'Organisations share information openly with each other.'
		],
		guidance:
			'Make time for people to get to know each other (a shared meal, a walk, a café). Keep in touch between projects, and introduce people to local groups and networks.'
	}
];
