import type { Kysely, Transaction } from 'kysely';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { refreshSearchDocument } from '../search/search.repository';
import { ENQUIRY_SEARCH } from './enquiries.search';
import type { Perspective, QuoteConsent } from './enquiries.tables';

/** The demo enquiry's id: its public page is /enquiries/demo-enquiry-coproduction. */
export const DEMO_ENQUIRY_ID = 'demo-enquiry-coproduction';
const LEAD = 'jo@demo.colab.example';
const INTERVIEWER = 'tom@demo.colab.example';
/** The demo event of the enquiry format (events.demo.ts), linked when it is there. */
const DEMO_SESSION_EVENT = 'demo-enquiry-what-coproduction';

const BENEFITS = [
	'A voice for people',
	'Services people actually want',
	'Equality and trust',
	'Sharing skills and knowledge',
	'Stronger partnerships'
] as const;
const BARRIERS = [
	'Time',
	'Organisational culture',
	'No permission from leaders',
	'Power imbalances',
	'Short-term funding',
	'Burden on unpaid people'
] as const;
type Theme = (typeof BENEFITS)[number] | (typeof BARRIERS)[number];

interface DemoInterview {
	key: string;
	label: string;
	perspective: Perspective;
	quote: QuoteConsent;
	byLead: boolean;
	body: string;
	/** Passages (exact words of the body) and their themes. */
	codes: Array<[string, Theme[]]>;
}

/** Eleven short interviews across perspectives, each with what was coded. */
const INTERVIEWS: readonly DemoInterview[] = [
	{
		key: 'p1',
		label: 'Priya',
		perspective: 'carer',
		quote: 'name',
		byLead: true,
		body: 'When the day centre asked carers what we needed, it was the first time anyone had. We sat with staff and redesigned the timetable together. It felt like our service, not theirs. But it took months of evenings, and nobody paid for our time.',
		codes: [
			[
				'When the day centre asked carers what we needed, it was the first time anyone had.',
				['A voice for people']
			],
			['It felt like our service, not theirs.', ['Services people actually want']],
			['But it took months of evenings, and nobody paid for our time.', ['Burden on unpaid people']]
		]
	},
	{
		key: 'p2',
		label: 'Participant 2',
		perspective: 'uses-services',
		quote: 'perspective',
		byLead: false,
		body: 'I have been to lots of meetings where they ask for my views and then nothing changes. Co-production should mean I help decide, not just talk. The last project was different: they listened and changed the letters.',
		codes: [
			[
				'I have been to lots of meetings where they ask for my views and then nothing changes.',
				['Power imbalances']
			],
			['Co-production should mean I help decide, not just talk.', ['A voice for people']]
		]
	},
	{
		key: 'p3',
		label: 'Participant 3',
		perspective: 'council-staff',
		quote: 'perspective',
		byLead: true,
		body: 'My manager supports it in principle. In practice every change needs sign-off from three boards. By the time we get permission, the people we worked with have moved on.',
		codes: [
			['In practice every change needs sign-off from three boards.', ['Organisational culture']],
			[
				'By the time we get permission, the people we worked with have moved on.',
				['No permission from leaders', 'Time']
			]
		]
	},
	{
		key: 'p4',
		label: 'Marcus',
		perspective: 'volunteer',
		quote: 'name',
		byLead: false,
		body: 'As a volunteer I bring what I know from the estate. Staff learnt things from us they could not get from a survey. And we learnt how the system works, which helps people I support.',
		codes: [
			[
				'Staff learnt things from us they could not get from a survey.',
				['Sharing skills and knowledge']
			],
			[
				'And we learnt how the system works, which helps people I support.',
				['Sharing skills and knowledge']
			]
		]
	},
	{
		key: 'p5',
		label: 'Participant 5',
		perspective: 'nhs-staff',
		quote: 'none',
		byLead: true,
		body: 'We are measured on waiting times, so anything that slows us down is hard to justify. I believe in it, but the ward is short-staffed. Honestly, co-production feels like a luxury some weeks.',
		codes: [
			[
				'We are measured on waiting times, so anything that slows us down is hard to justify.',
				['Time']
			],
			['I believe in it, but the ward is short-staffed.', ['Time']]
		]
	},
	{
		key: 'p6',
		label: 'Participant 6',
		perspective: 'charity-staff',
		quote: 'perspective',
		byLead: false,
		body: 'Our funding runs for a year at a time. We build trust with families and then the project ends. Co-production needs years, not months.',
		codes: [
			['Our funding runs for a year at a time.', ['Short-term funding']],
			[
				'We build trust with families and then the project ends.',
				['Short-term funding', 'Equality and trust']
			]
		]
	},
	{
		key: 'p7',
		label: 'Aisha',
		perspective: 'uses-services',
		quote: 'name',
		byLead: true,
		body: 'Being asked made me feel like an equal, not a case number. I trusted the nurse more after we planned the clinic together. Now I tell other people to come along.',
		codes: [
			['Being asked made me feel like an equal, not a case number.', ['Equality and trust']],
			['I trusted the nurse more after we planned the clinic together.', ['Equality and trust']]
		]
	},
	{
		key: 'p8',
		label: 'Participant 8',
		perspective: 'council-staff',
		quote: 'perspective',
		byLead: false,
		body: 'When the council, the charities and the NHS sat at one table, we stopped sending people round in circles. The partnership outlived the pilot. That is the real benefit for me.',
		codes: [
			[
				'When the council, the charities and the NHS sat at one table, we stopped sending people round in circles.',
				['Stronger partnerships']
			],
			['The partnership outlived the pilot.', ['Stronger partnerships']]
		]
	},
	{
		key: 'p9',
		label: 'Participant 9',
		perspective: 'carer',
		quote: 'perspective',
		byLead: true,
		body: 'The professionals still hold the budget and the agenda. We are invited in once the decisions are made. I would like us to be there from the start.',
		codes: [
			['The professionals still hold the budget and the agenda.', ['Power imbalances']],
			['We are invited in once the decisions are made.', ['Power imbalances']]
		]
	},
	{
		key: 'p10',
		label: 'Participant 10',
		perspective: 'volunteer',
		quote: 'perspective',
		byLead: false,
		body: 'The services that work are the ones people asked for. The lunch club is full because we designed it. The one they designed for us closed.',
		codes: [['The lunch club is full because we designed it.', ['Services people actually want']]]
	},
	{
		key: 'p11',
		label: 'Participant 11',
		perspective: 'nhs-staff',
		quote: 'perspective',
		byLead: true,
		body: 'Our culture rewards being the expert. Letting go of that is uncomfortable for clinicians. Without a leader who says it is allowed, most people will not try.',
		codes: [
			['Our culture rewards being the expert.', ['Organisational culture']],
			[
				'Without a leader who says it is allowed, most people will not try.',
				['No permission from leaders']
			]
		]
	}
];

/** The report: one section per theme, quoting only people who agreed (read-time checks too). */
const SECTIONS: ReadonlyArray<{ heading: string; theme: Theme; body: string; quotes: string[] }> = [
	{
		heading: 'A voice for people',
		theme: 'A voice for people',
		body: 'Most people we spoke to described co-production first as **being asked, and being heard**: not only giving views, but helping decide.',
		quotes: [
			'When the day centre asked carers what we needed, it was the first time anyone had.',
			'Co-production should mean I help decide, not just talk.'
		]
	},
	{
		heading: 'Equality and trust',
		theme: 'Equality and trust',
		body: 'Working together changed how people saw each other. Several spoke of trust that lasted beyond the project.',
		quotes: [
			'Being asked made me feel like an equal, not a case number.',
			'We build trust with families and then the project ends.'
		]
	},
	{
		heading: 'Sharing skills and knowledge',
		theme: 'Sharing skills and knowledge',
		body: 'Knowledge went both ways: staff learnt what no survey tells them, and people learnt how the system works.',
		quotes: ['Staff learnt things from us they could not get from a survey.']
	},
	{
		heading: 'Power imbalances',
		theme: 'Power imbalances',
		body: 'The barrier named most often: people are invited in after the decisions are made, and the budget stays with professionals.',
		quotes: [
			'The professionals still hold the budget and the agenda.',
			'I have been to lots of meetings where they ask for my views and then nothing changes.'
		]
	},
	{
		heading: 'Time and permission',
		theme: 'No permission from leaders',
		body: 'Staff want to work this way but describe slow sign-off, short-staffing and no clear permission from leaders. Carers and volunteers give their own time, unpaid.',
		quotes: [
			'By the time we get permission, the people we worked with have moved on.',
			'But it took months of evenings, and nobody paid for our time.'
		]
	}
];

/** A second, smaller enquiry whose report is still a draft (the team's pages have one to show). */
export const DEMO_DRAFT_ENQUIRY_ID = 'demo-enquiry-volunteers';
/** Its first report section, for addresses in the accessibility sweep. */
export const DEMO_DRAFT_SECTION_ID = `${DEMO_DRAFT_ENQUIRY_ID}-section-1`;

const DAY = 86_400_000;

/**
 * The demo enquiry, like the network's first: eleven interviews across perspectives, coded to
 * benefit and barrier themes, one participant who withdrew, and a published report. Idempotent:
 * an enquiry already there is left as it is.
 */
export async function seedReportDemo(db: Kysely<DB>, now = new Date()): Promise<void> {
	const there = await db
		.selectFrom('enquiry')
		.select('id')
		.where('id', '=', DEMO_ENQUIRY_ID)
		.executeTakeFirst();
	if (there) return;
	const people = new Map(
		(
			await db
				.selectFrom('app_user')
				.select(['id', 'email'])
				.where('email', 'in', [LEAD, INTERVIEWER])
				.execute()
		).map((u) => [u.email, u.id])
	);
	const lead = people.get(LEAD);
	const interviewer = people.get(INTERVIEWER);
	if (!lead || !interviewer) return;
	const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
	await changeContent(db, async (trx) => {
		await seedEnquiry(trx, lead, interviewer, at);
		await seedDraftEnquiry(trx, lead, interviewer, at);
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, DEMO_ENQUIRY_ID);
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, DEMO_DRAFT_ENQUIRY_ID);
	});
}

/** A small enquiry in the reporting stage: two interviews, two codes, one section, one quote. */
async function seedDraftEnquiry(
	trx: Transaction<DB>,
	lead: string,
	interviewer: string,
	at: (daysAgo: number) => string
): Promise<void> {
	const id = DEMO_DRAFT_ENQUIRY_ID;
	await trx
		.insertInto('enquiry')
		.values({
			id,
			title: 'How do we welcome new volunteers?',
			questions: 'What made you stay after your first month?\nWhat nearly made you leave?',
			purpose: 'To make the first month easier for new volunteers.',
			method: 'Short conversations with volunteers who joined this year.',
			consent_text: 'You choose how we quote you, and can withdraw at any time.',
			stage: 'reporting',
			created_by: lead,
			report_title: 'Welcoming new volunteers',
			report_summary: null,
			published_at: null,
			raw_deleted_at: null,
			created_at: at(20),
			updated_at: at(2)
		})
		.execute();
	await trx
		.insertInto('enquiry_member')
		.values([
			{ enquiry_id: id, user_id: lead, role: 'lead', added_by: lead, added_at: at(20) },
			{
				enquiry_id: id,
				user_id: interviewer,
				role: 'interviewer',
				added_by: lead,
				added_at: at(20)
			}
		])
		.execute();
	const codes = [
		{ id: `${id}-code-1`, name: 'Benefits', parent: null },
		{ id: `${id}-code-2`, name: 'Barriers', parent: null },
		{ id: `${id}-code-3`, name: 'A warm welcome', parent: `${id}-code-1` },
		{ id: `${id}-code-4`, name: 'Time', parent: `${id}-code-2` }
	];
	for (const [i, c] of codes.entries())
		await trx
			.insertInto('enquiry_code')
			.values({
				id: c.id,
				enquiry_id: id,
				parent_id: c.parent,
				name: c.name,
				description: '',
				position: i + 1,
				created_by: lead,
				created_at: at(15),
				updated_at: at(15)
			})
			.execute();
	const people = [
		{
			key: 'v1',
			label: 'Dev',
			perspective: 'volunteer' as const,
			quote: 'name' as const,
			body: 'Someone met me at the door and showed me where the kettle was. That small thing is why I came back.',
			passage: 'Someone met me at the door and showed me where the kettle was.',
			code: `${id}-code-3`
		},
		{
			key: 'v2',
			label: 'Participant 2',
			perspective: 'volunteer' as const,
			quote: 'none' as const,
			body: 'The training was on weekday mornings, when I work. I nearly gave up before I started.',
			passage: 'The training was on weekday mornings, when I work.',
			code: `${id}-code-4`
		}
	];
	for (const person of people) {
		const participant = `${id}-${person.key}`;
		await trx
			.insertInto('enquiry_participant')
			.values({
				id: participant,
				enquiry_id: id,
				label: person.label,
				perspective: person.perspective,
				consent_take_part: 1,
				consent_quote: person.quote,
				consent_recorded_at: at(14),
				consent_recorded_by: interviewer,
				withdrawn_at: null,
				created_by: interviewer,
				created_at: at(14),
				updated_at: at(14)
			})
			.execute();
		await trx
			.insertInto('enquiry_consent_change')
			.values({
				id: `${participant}-consent-1`,
				participant_id: participant,
				take_part: 1,
				quote: person.quote,
				withdrawn: 0,
				note: 'Agreed before the conversation.',
				recorded_by: interviewer,
				recorded_at: at(14)
			})
			.execute();
		const interview = `${id}-interview-${person.key}`;
		await trx
			.insertInto('enquiry_interview')
			.values({
				id: interview,
				enquiry_id: id,
				participant_id: participant,
				interviewer_id: interviewer,
				title: `Conversation with ${person.label}`,
				held_on: at(14).slice(0, 10),
				kind: 'notes',
				source_format: 'typed',
				source_name: null,
				body: person.body,
				created_by: interviewer,
				created_at: at(14),
				updated_at: at(14)
			})
			.execute();
		const start = person.body.indexOf(person.passage);
		await trx
			.insertInto('enquiry_excerpt')
			.values({
				id: `${interview}-x1`,
				enquiry_id: id,
				interview_id: interview,
				participant_id: participant,
				start_offset: start,
				end_offset: start + person.passage.length,
				text: person.passage,
				created_by: interviewer,
				created_at: at(13)
			})
			.execute();
		await trx
			.insertInto('enquiry_coding')
			.values({
				excerpt_id: `${interview}-x1`,
				code_id: person.code,
				coded_by: interviewer,
				coded_at: at(13)
			})
			.execute();
	}
	await trx
		.insertInto('enquiry_report_section')
		.values({
			id: DEMO_DRAFT_SECTION_ID,
			enquiry_id: id,
			position: 1,
			heading: 'A warm welcome',
			body: 'Small things on the first day made people come back.',
			code_name: 'A warm welcome',
			updated_by: lead,
			created_at: at(3),
			updated_at: at(3)
		})
		.execute();
	await trx
		.insertInto('enquiry_report_quote')
		.values({
			id: `${DEMO_DRAFT_SECTION_ID}-q1`,
			section_id: DEMO_DRAFT_SECTION_ID,
			enquiry_id: id,
			participant_id: `${id}-v1`,
			excerpt_id: `${id}-interview-v1-x1`,
			text: 'Someone met me at the door and showed me where the kettle was.',
			position: 1,
			added_by: lead,
			added_at: at(3)
		})
		.execute();
}

async function seedEnquiry(
	trx: Transaction<DB>,
	lead: string,
	interviewer: string,
	at: (daysAgo: number) => string
): Promise<void> {
	const id = DEMO_ENQUIRY_ID;
	await trx
		.insertInto('enquiry')
		.values({
			id,
			title: 'What does co-production mean here?',
			questions:
				'What does co-production mean to you?\nWhat has it changed, when it worked?\nWhat gets in the way?',
			purpose:
				'To hear what people across the borough mean by co-production, before we agree a shared statement of it.',
			method:
				'Eleven paired interviews of about 40 minutes, with people who use services, carers, volunteers, and staff of charities, the council and the NHS. Notes were coded into benefit and barrier themes.',
			consent_text:
				'Taking part is your choice. You choose whether we quote you by name, by your perspective only, or not at all. You can change your mind or withdraw at any time, and your words will be taken out.',
			stage: 'published',
			created_by: lead,
			report_title: 'What co-production means here: eleven conversations',
			report_summary:
				'We spoke to eleven people who use services, care, volunteer, or work for a charity, the council or the NHS. They told us co-production means **being asked early and helping decide**. It builds trust and shares knowledge. What gets in the way: power that stays with professionals, slow permission, and no time or money for the people who give theirs.',
			published_at: at(5),
			raw_deleted_at: null,
			created_at: at(90),
			updated_at: at(5)
		})
		.execute();
	await trx
		.insertInto('enquiry_member')
		.values([
			{ enquiry_id: id, user_id: lead, role: 'lead', added_by: lead, added_at: at(90) },
			{
				enquiry_id: id,
				user_id: interviewer,
				role: 'interviewer',
				added_by: lead,
				added_at: at(89)
			}
		])
		.execute();
	const event = await trx
		.selectFrom('event')
		.select('id')
		.where('id', '=', DEMO_SESSION_EVENT)
		.executeTakeFirst();
	if (event)
		await trx
			.insertInto('enquiry_session')
			.values({ enquiry_id: id, event_id: event.id, added_at: at(60) })
			.execute();
	// What followed: the idea of easy-read letters came out of the barrier "poor information
	// sharing", so the report and the idea link each other.
	const idea = await trx
		.selectFrom('idea')
		.select(['id', 'title', 'slug'])
		.where('slug', '=', 'easy-read-letters-from-the-council')
		.executeTakeFirst();
	if (idea)
		await trx
			.insertInto('enquiry_follow_on')
			.values({
				enquiry_id: id,
				kind: 'idea',
				target_id: idea.id,
				title: idea.title,
				path: `/ideas/${idea.slug}`,
				added_by: lead,
				added_at: at(4)
			})
			.execute();

	// The codebook: the themes nested under "Benefits" and "Barriers".
	const codeIds = new Map<string, string>();
	const addCode = async (name: string, parent: string | null, position: number) => {
		const codeId = `${id}-code-${codeIds.size + 1}`;
		codeIds.set(name, codeId);
		await trx
			.insertInto('enquiry_code')
			.values({
				id: codeId,
				enquiry_id: id,
				parent_id: parent,
				name,
				description: '',
				position,
				created_by: lead,
				created_at: at(50),
				updated_at: at(50)
			})
			.execute();
		return codeId;
	};
	const benefits = await addCode('Benefits', null, 1);
	for (const [i, name] of BENEFITS.entries()) await addCode(name, benefits, i + 1);
	const barriers = await addCode('Barriers', null, 2);
	for (const [i, name] of BARRIERS.entries()) await addCode(name, barriers, i + 1);

	const excerptOf = new Map<string, { id: string; participant: string }>();
	for (const [n, demo] of INTERVIEWS.entries()) {
		const participant = `${id}-${demo.key}`;
		const by = demo.byLead ? lead : interviewer;
		const day = 80 - n * 3;
		await trx
			.insertInto('enquiry_participant')
			.values({
				id: participant,
				enquiry_id: id,
				label: demo.label,
				perspective: demo.perspective,
				consent_take_part: 1,
				consent_quote: demo.quote,
				consent_recorded_at: at(day),
				consent_recorded_by: by,
				withdrawn_at: null,
				created_by: by,
				created_at: at(day),
				updated_at: at(day)
			})
			.execute();
		await trx
			.insertInto('enquiry_consent_change')
			.values({
				id: `${participant}-consent-1`,
				participant_id: participant,
				take_part: 1,
				quote: demo.quote,
				withdrawn: 0,
				note: 'Agreed at the start of the interview.',
				recorded_by: by,
				recorded_at: at(day)
			})
			.execute();
		const interview = `${id}-interview-${demo.key}`;
		await trx
			.insertInto('enquiry_interview')
			.values({
				id: interview,
				enquiry_id: id,
				participant_id: participant,
				interviewer_id: by,
				title: `Interview with ${demo.label}`,
				held_on: at(day).slice(0, 10),
				kind: 'notes',
				source_format: 'typed',
				source_name: null,
				body: demo.body,
				created_by: by,
				created_at: at(day),
				updated_at: at(day)
			})
			.execute();
		for (const [k, [words, themes]] of demo.codes.entries()) {
			const start = demo.body.indexOf(words);
			if (start === -1) throw new Error(`Demo passage not in its interview: ${words}`);
			const excerpt = `${interview}-x${k + 1}`;
			await trx
				.insertInto('enquiry_excerpt')
				.values({
					id: excerpt,
					enquiry_id: id,
					interview_id: interview,
					participant_id: participant,
					start_offset: start,
					end_offset: start + words.length,
					text: words,
					created_by: by,
					created_at: at(day - 1)
				})
				.execute();
			await trx
				.insertInto('enquiry_coding')
				.values(
					themes.map((theme) => ({
						excerpt_id: excerpt,
						code_id: codeIds.get(theme)!,
						coded_by: by,
						coded_at: at(day - 1)
					}))
				)
				.execute();
			excerptOf.set(words, { id: excerpt, participant });
		}
	}

	// The twelfth person took part, then withdrew: their interview and words are gone.
	const withdrawn = `${id}-p12`;
	await trx
		.insertInto('enquiry_participant')
		.values({
			id: withdrawn,
			enquiry_id: id,
			label: 'Participant 12',
			perspective: 'charity-staff',
			consent_take_part: 1,
			consent_quote: 'perspective',
			consent_recorded_at: at(40),
			consent_recorded_by: lead,
			withdrawn_at: at(40),
			created_by: lead,
			created_at: at(45),
			updated_at: at(40)
		})
		.execute();
	await trx
		.insertInto('enquiry_consent_change')
		.values([
			{
				id: `${withdrawn}-consent-1`,
				participant_id: withdrawn,
				take_part: 1,
				quote: 'perspective',
				withdrawn: 0,
				note: 'Agreed at the start of the interview.',
				recorded_by: lead,
				recorded_at: at(45)
			},
			{
				id: `${withdrawn}-consent-2`,
				participant_id: withdrawn,
				take_part: 1,
				quote: 'perspective',
				withdrawn: 1,
				note: 'Emailed to withdraw; their interview and excerpts were deleted.',
				recorded_by: lead,
				recorded_at: at(40)
			}
		])
		.execute();

	for (const [s, section] of SECTIONS.entries()) {
		const sectionId = `${id}-section-${s + 1}`;
		await trx
			.insertInto('enquiry_report_section')
			.values({
				id: sectionId,
				enquiry_id: id,
				position: s + 1,
				heading: section.heading,
				body: section.body,
				code_name: section.theme,
				updated_by: lead,
				created_at: at(10),
				updated_at: at(10)
			})
			.execute();
		for (const [q, words] of section.quotes.entries()) {
			const excerpt = excerptOf.get(words);
			if (!excerpt) throw new Error(`Demo quote not coded: ${words}`);
			await trx
				.insertInto('enquiry_report_quote')
				.values({
					id: `${sectionId}-q${q + 1}`,
					section_id: sectionId,
					enquiry_id: id,
					participant_id: excerpt.participant,
					excerpt_id: excerpt.id,
					text: words,
					position: q + 1,
					added_by: lead,
					added_at: at(8)
				})
				.execute();
		}
	}
}
