import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import {
	canAnswerRequest,
	canAskChampion,
	canCloseRequest,
	canReadRequest,
	canReviewChampions,
	canVolunteer
} from './champions.permissions';

const person = (id: string, role: SessionUser['role'] = 'member') =>
	({ id, name: id, email: `${id}@example.test`, role }) as SessionUser;

describe('champions permissions', () => {
	const request = { asker_id: 'asker', champion_user_id: 'champion' };

	it('members volunteer and ask; visitors do neither', () => {
		expect(canVolunteer(person('a'))).toBe(true);
		expect(canAskChampion(person('a'))).toBe(true);
		expect(canVolunteer(null)).toBe(false);
		expect(canAskChampion(undefined)).toBe(false);
	});

	it('only curators and administrators review champions', () => {
		expect(canReviewChampions(person('c', 'curator'))).toBe(true);
		expect(canReviewChampions(person('a', 'administrator'))).toBe(true);
		expect(canReviewChampions(person('m'))).toBe(false);
		expect(canReviewChampions(null)).toBe(false);
	});

	it('only the asker and the champion holding it read a request; curators do not', () => {
		expect(canReadRequest(person('asker'), request)).toBe(true);
		expect(canReadRequest(person('champion'), request)).toBe(true);
		expect(canReadRequest(person('other'), request)).toBe(false);
		expect(canReadRequest(person('cur', 'curator'), request)).toBe(false);
		expect(canReadRequest(null, request)).toBe(false);
		expect(canReadRequest(person('x'), { asker_id: 'asker', champion_user_id: null })).toBe(false);
	});

	it('only the champion answers; only the asker closes', () => {
		expect(canAnswerRequest(person('champion'), request)).toBe(true);
		expect(canAnswerRequest(person('asker'), request)).toBe(false);
		expect(canAnswerRequest(person('x'), { champion_user_id: null })).toBe(false);
		expect(canCloseRequest(person('asker'), request)).toBe(true);
		expect(canCloseRequest(person('champion'), request)).toBe(false);
		expect(canCloseRequest(null, request)).toBe(false);
	});
});
