import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { SessionUser } from '../auth/auth.types';
import type { CaseStudyInput } from './case-studies.schema';
import {
	answerInvolvement,
	askInvolvement,
	publishCaseStudy,
	saveCaseStudy
} from './case-studies.service';
import { updateCaseStudyRow } from './case-studies.repository';
import { libraryVocabulary } from './tags.service';

/** The demo check's second round (assessments.demo.ts), owned by Jo and Priya. */
const DEMO_ROUND = 'demo-assessment-day-centre-round-2';

/** Slugs the journeys and the page sweep visit. */
export const DEMO_CASE_STUDIES = {
	published: 'carers-redesign-the-respite-booking-form',
	withHistory: 'day-centre-members-set-the-activity-budget',
	waiting: 'riders-rewrite-the-community-transport-timetable',
	adminDraft: 'a-co-produced-welcome-pack-draft'
} as const;

interface DemoCase {
	authorEmail: string;
	/** published | waiting | returned | draft */
	end: 'published' | 'waiting' | 'returned' | 'draft';
	input: Partial<CaseStudyInput> & { title: string };
	dimensionPositions?: number[];
	organisationPositions?: number[];
}

const CASES: DemoCase[] = [
	{
		authorEmail: 'priya@demo.colab.example',
		end: 'published',
		dimensionPositions: [0, 1],
		organisationPositions: [0],
		input: {
			title: 'Carers redesign the respite booking form',
			summary:
				'Carers said the respite booking form took an hour and asked for things the council already knew. Eight carers and the booking team rewrote it together; it now takes ten minutes.',
			serviceAreas: ['service-area:carers-and-unpaid-care', 'service-area:adult-social-care'],
			stage: 'co-designing',
			workStatus: 'running',
			whatWasDone:
				'Four evening workshops at the carers’ centre, with care cover paid for.\n\nCarers marked up the old form in red pen; the booking team said which questions the law needs. Together they cut it from 14 pages to 4, tested it with twelve more carers, and changed it twice.',
			whoWasInvolved:
				'Eight carers from the carers’ group, two people from the booking team and their manager, who agreed at the start that the group would decide the wording.',
			benefits: [
				'benefit:a-voice-for-people',
				'benefit:services-people-actually-want',
				'benefit:better-and-more-efficient-services'
			],
			barriers: ['barrier:time', 'barrier:systems-and-processes'],
			barriersHandled:
				'Time: evening sessions, and care cover so carers could come. Systems: the case system had fixed fields, so the team mapped the new questions onto the old fields rather than wait for a new system.',
			doDifferently: 'Bring the IT team in from the first workshop, not the third.',
			links: 'How we did it (blog) /blog\nThe carers’ group events /events'
		}
	},
	{
		authorEmail: 'jo@demo.colab.example',
		end: 'published',
		dimensionPositions: [2, 3],
		input: {
			title: 'Day centre members set the activity budget',
			summary:
				'Members of the Riverside day centre and their carers now decide, with staff, how the activities budget is spent. The co-production check showed where power was still held back.',
			serviceAreas: ['service-area:adult-social-care', 'service-area:older-people'],
			stage: 'co-producing',
			workStatus: 'running',
			whatWasDone:
				'A members’ panel of six meets monthly with the centre manager. The budget is on the table as a printed sheet; the panel chooses and the manager signs it off.',
			whoWasInvolved:
				'Six members who use the centre, two carers, the centre manager and a commissioner who came to the first three meetings.',
			benefits: ['benefit:shared-power', 'benefit:more-choice-and-control'],
			barriers: ['barrier:power-imbalances', 'barrier:aversion-to-risk'],
			barriersHandled:
				'Staff worried about risky trips. The panel wrote its own risk checklist with the manager; no trip has been refused since.',
			doDifferently: 'Run the co-production check before starting, not a year in.',
			roundId: DEMO_ROUND
		}
	},
	{
		authorEmail: 'sam@demo.colab.example',
		end: 'published',
		dimensionPositions: [4],
		input: {
			title: 'A peer-led mental health drop-in',
			summary:
				'People with lived experience of mental ill health run a weekly drop-in at the library, with a nurse on call rather than in charge.',
			serviceAreas: ['service-area:mental-health', 'service-area:community-and-voluntary-sector'],
			stage: 'co-producing',
			workStatus: 'pilot',
			whatWasDone:
				'Six peer volunteers trained together for three weeks, then opened on Tuesdays from 2 to 5. A community nurse is a phone call away.',
			whoWasInvolved: 'Six peer volunteers, the library staff and the community mental health team.',
			benefits: ['benefit:empowerment', 'benefit:less-dependency-on-services'],
			barriers: ['barrier:short-term-funding', 'barrier:burden-on-unpaid-people'],
			barriersHandled: 'Volunteers are paid expenses and a session fee from a small grant.',
			doDifferently: 'Find two years of money before starting, not six months.'
		}
	},
	{
		authorEmail: 'tom@demo.colab.example',
		end: 'published',
		input: {
			title: 'Asking tenants before the repairs contract',
			summary:
				'Before the repairs contract was renewed, tenants were asked what mattered. Their top three points went into the contract.',
			serviceAreas: ['service-area:housing-and-homelessness'],
			stage: 'consulting',
			workStatus: 'finished',
			whatWasDone: 'A survey, three drop-in sessions and a tenants’ panel that read the draft.',
			whoWasInvolved: 'About 400 tenants answered; twelve joined the panel.',
			benefits: ['benefit:meaningful-feedback'],
			barriers: ['barrier:mandatory-requirements', 'barrier:decision-making-processes'],
			barriersHandled: 'The panel was told early which parts of the contract were fixed by law.',
			doDifferently: 'Give the panel a say in choosing the contractor, not only the wording.'
		}
	},
	{
		authorEmail: 'priya@demo.colab.example',
		end: 'published',
		dimensionPositions: [1],
		input: {
			title: 'Young carers’ cards for GP appointments',
			summary:
				'An idea from young carers: a card that tells the GP surgery they are a carer, so they are not turned away when they come with a parent.',
			serviceAreas: ['service-area:children-and-families', 'service-area:gps-and-primary-care'],
			stage: 'engaging',
			workStatus: 'idea',
			whatWasDone: 'Young carers designed the card at a summer workshop; two surgeries have agreed to try it.',
			whoWasInvolved: 'Nine young carers, a youth worker and two practice managers.',
			benefits: ['benefit:equality-and-trust'],
			barriers: ['barrier:organisational-culture']
		}
	},
	{
		authorEmail: 'jo@demo.colab.example',
		end: 'published',
		input: {
			title: 'Easy read letters, written with the people who get them',
			summary:
				'People with learning disabilities rewrote the council’s five most common letters in easy read, and trained the staff who send them.',
			serviceAreas: ['service-area:learning-disability-and-autism'],
			stage: 'co-designing',
			workStatus: 'finished',
			whatWasDone: 'A self-advocacy group met fortnightly for four months.',
			whoWasInvolved: 'Seven self-advocates, a supporter and the council’s letters team.',
			benefits: ['benefit:tailoring-to-real-needs', 'benefit:fewer-inappropriate-referrals'],
			barriers: ['barrier:routines', 'barrier:lack-of-skills-and-awareness']
		}
	},
	{
		authorEmail: 'tom@demo.colab.example',
		end: 'waiting',
		input: {
			title: 'Riders rewrite the community transport timetable',
			serviceAreas: ['service-area:older-people'],
			stage: 'co-designing',
			workStatus: 'running'
		}
	},
	{
		authorEmail: 'sam@demo.colab.example',
		end: 'returned',
		input: {
			title: 'Hospital discharge with a carer present',
			serviceAreas: ['service-area:hospitals-and-community-health'],
			stage: 'engaging',
			workStatus: 'pilot'
		}
	},
	{
		authorEmail: 'admin@demo.colab.example',
		end: 'draft',
		input: { title: 'A co-produced welcome pack (draft)' }
	}
];

/**
 * The demo's case studies: six published across stages, areas and themes (one citing the demo
 * check's round), one with two versions and a named person who consented, one waiting for a
 * curator, one sent back, one draft. Written through the service, as people would. Idempotent.
 */
export async function seedCaseStudies(db: Kysely<DB>): Promise<void> {
	const done = await db
		.selectFrom('case_study')
		.select('id')
		.where('slug', '=', DEMO_CASE_STUDIES.published)
		.executeTakeFirst();
	if (done) return;
	const people = await db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'role', 'email_verified'])
		.where('email', 'like', '%@demo.colab.example')
		.execute();
	const as = (email: string): SessionUser | undefined => {
		const p = people.find((x) => x.email === email);
		return p
			? ({ id: p.id, name: p.name, email: p.email, role: p.role, emailVerified: true } as SessionUser)
			: undefined;
	};
	const curator = as('curator@demo.colab.example');
	if (!curator) return;
	const words = await libraryVocabulary(db);
	const organisations = await db.selectFrom('organisation').select('id').orderBy('name').execute();
	const roundExists = await db
		.selectFrom('assessment_round')
		.select('id')
		.where('id', '=', DEMO_ROUND)
		.executeTakeFirst();

	for (const demo of CASES) {
		const author = as(demo.authorEmail);
		if (!author) continue;
		const input: CaseStudyInput = {
			summary: '',
			serviceAreas: [],
			stage: '',
			workStatus: '',
			whatWasDone: '',
			whoWasInvolved: '',
			benefits: [],
			barriers: [],
			barriersHandled: '',
			doDifferently: '',
			links: '',
			website: '',
			...demo.input,
			roundId: roundExists ? (demo.input.roundId ?? '') : '',
			dimensions: (demo.dimensionPositions ?? [])
				.map((i) => words.dimensions[i]?.key)
				.filter((k): k is string => !!k),
			organisations: (demo.organisationPositions ?? [])
				.map((i) => organisations[i]?.id)
				.filter((id): id is string => !!id)
		};
		if (demo.end !== 'published' && demo.end !== 'draft' && !input.summary)
			input.summary = 'Still being written up.';
		if (demo.end !== 'published' && demo.end !== 'draft' && !input.whatWasDone)
			input.whatWasDone = 'To follow.';
		const saved = await saveCaseStudy(db, author, input, {
			intent: demo.end === 'draft' ? 'draft' : 'submit'
		});
		if (!saved.ok) throw new Error(`Demo case study not saved: ${JSON.stringify(saved.errors)}`);
		const slug = saved.caseStudy.slug;
		if (demo.end === 'published') await publishCaseStudy(db, curator, slug);
		if (demo.end === 'returned')
			// Straight to the row: the demo sends no mail to made-up addresses.
			await updateCaseStudyRow(db, saved.caseStudy.id, {
				review_state: 'returned',
				review_message:
					'Thank you. Please add what happened on the ward, and who the carers were (roles, not names).',
				reviewed_by: curator.id
			});
		if (slug === DEMO_CASE_STUDIES.withHistory) {
			// A second version: what changed shows in the history.
			const again = await saveCaseStudy(
				db,
				author,
				{
					...input,
					doDifferently:
						'Run the co-production check before starting, not a year in. And pay members for panel time from the start.'
				},
				{ slug, intent: 'submit' }
			);
			if (again.ok) await publishCaseStudy(db, curator, slug);
		}
		if (slug === DEMO_CASE_STUDIES.published) {
			const sam = as('sam@demo.colab.example');
			const tom = as('tom@demo.colab.example');
			if (sam) {
				await askInvolvement(db, author, slug, {
					person: sam.email,
					role: 'Carer who co-chaired the workshops'
				});
				const row = await db
					.selectFrom('case_study_person')
					.select('id')
					.where('user_id', '=', sam.id)
					.executeTakeFirst();
				if (row) await answerInvolvement(db, sam, row.id, 'consent');
			}
			// Tom has not answered yet: he is not shown.
			if (tom)
				await askInvolvement(db, author, slug, { person: tom.email, role: 'Tested the new form' });
		}
	}
}
