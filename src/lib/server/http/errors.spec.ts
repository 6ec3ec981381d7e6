import { describe, expect, it, vi } from 'vitest';
import { describeUnexpectedError } from './errors';

function fakeLog() {
	return { error: vi.fn(), warn: vi.fn() };
}

describe('describeUnexpectedError', () => {
	it('logs the stack with the request id and shows only a friendly message', () => {
		const log = fakeLog();
		const failure = new Error('connection refused at 10.0.0.5:5432');
		const shown = describeUnexpectedError(
			{ error: failure, status: 500, message: 'Internal Error', path: '/x', requestId: 'req-1234' },
			log
		);
		expect(shown).toEqual({
			message: 'Sorry, something went wrong on our side.',
			requestId: 'req-1234'
		});
		expect(JSON.stringify(shown)).not.toContain('10.0.0.5');
		expect(log.error).toHaveBeenCalledTimes(1);
		const [logged] = log.error.mock.calls[0] as [{ err: Error; requestId: string }];
		expect(logged.err.stack).toContain('connection refused');
		expect(logged.requestId).toBe('req-1234');
	});

	it('wraps thrown non-errors so the log still has a stack', () => {
		const log = fakeLog();
		describeUnexpectedError(
			{ error: 'plain string', status: 500, message: 'x', path: '/', requestId: 'r' },
			log
		);
		const [logged] = log.error.mock.calls[0] as [{ err: Error }];
		expect(logged.err).toBeInstanceOf(Error);
		expect(logged.err.stack).toBeTruthy();
	});

	it('does not log a missing page as an error', () => {
		const log = fakeLog();
		const shown = describeUnexpectedError(
			{
				error: new Error('Not found: /nope'),
				status: 404,
				message: 'Not Found',
				path: '/nope',
				requestId: 'r'
			},
			log
		);
		expect(shown.message).toBe('Page not found');
		expect(log.error).not.toHaveBeenCalled();
	});
});
