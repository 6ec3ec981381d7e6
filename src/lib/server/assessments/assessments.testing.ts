import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { FormValues } from '../forms';
import { createTestUser } from '../testing/factories';
import type { AssessmentsSite } from './assessments.mails';
import { createAssessment } from './assessments.service';
import type { Assessment } from './assessments.tables';
import { currentFramework } from './framework.service';
import { saveAnswers, startResponse } from './responses.service';

/** The site specs pass to assessment services. */
export const TEST_SITE: AssessmentsSite = {
	siteName: 'CoLab Test',
	origin: 'http://colab.test',
	timeZone: 'Europe/London'
};

/** "Now" in specs: rounds closing in 2030 are open. */
export const NOW = new Date('2027-03-01T12:00:00.000Z');

/** A time after every spec's rounds have closed, when their results show. */
export const AFTER = new Date('2031-01-01T12:00:00.000Z');

export async function testMember(
	db: Kysely<DB>,
	role: SessionUser['role'] = 'member'
): Promise<SessionUser> {
	return createTestUser(db, { role });
}

/** A complete, valid assessment form. */
export function assessmentValues(overrides: FormValues = {}): FormValues {
	return {
		title: 'Riverside day centre',
		description: 'How co-produced is the day centre?',
		closesDate: '2030-06-30',
		openToVisitors: 'yes',
		resultsVisibility: 'owners',
		threshold: '3',
		...overrides
	};
}

/** An assessment with round 1 open, owned by `owner` (a new member unless given). */
export async function testAssessment(
	db: Kysely<DB>,
	overrides: FormValues = {},
	owner?: SessionUser
): Promise<{ assessment: Assessment; roundId: string; owner: SessionUser }> {
	const by = owner ?? (await testMember(db));
	const result = await createAssessment(db, by, assessmentValues(overrides), NOW);
	if (!result.ok) throw new Error(`assessment not created: ${JSON.stringify(result)}`);
	return { assessment: result.assessment, roundId: result.roundId, owner: by };
}

/** Form values rating every statement of the current framework by `rate(dimensionIndex, statementIndex)`. */
export async function answerValues(
	db: Kysely<DB>,
	rate: (dimension: number, statement: number) => string
): Promise<FormValues> {
	const framework = await currentFramework(db);
	const values: FormValues = {};
	framework.dimensions.forEach((d, i) =>
		d.statements.forEach((s, j) => {
			values[`s-${s.id}`] = rate(i, j);
		})
	);
	return values;
}

/** A visitor's response started through the shareable link, not yet sent. */
export async function startAsVisitor(
	db: Kysely<DB>,
	assessment: Assessment,
	perspective: string
): Promise<{ responseId: string; resumeCode: string }> {
	const started = await startResponse(
		db,
		{ via: 'share', shareCode: assessment.share_code, actor: null },
		perspective,
		NOW
	);
	if (!started.ok || !started.resumeCode)
		throw new Error(`not started: ${JSON.stringify(started)}`);
	return { responseId: started.responseId, resumeCode: started.resumeCode };
}

/** A submitted response through the shareable link, as a visitor; returns its id. */
export async function submitAsVisitor(
	db: Kysely<DB>,
	assessment: Assessment,
	perspective: string,
	values: FormValues
): Promise<string> {
	const started = await startAsVisitor(db, assessment, perspective);
	const saved = await saveAnswers(
		db,
		{ resumeCode: started.resumeCode },
		values,
		{ submit: true },
		NOW
	);
	if (!saved.ok) throw new Error(`not saved: ${JSON.stringify(saved)}`);
	return started.responseId;
}
