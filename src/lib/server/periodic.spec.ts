import { describe, expect, it } from 'vitest';
import { startPeriodicWork } from './periodic';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startPeriodicWork', () => {
	it('runs soon after starting, then on every tick, never two at once, and stops', async () => {
		let runs = 0;
		let running = 0;
		let overlapped = false;
		const work = startPeriodicWork(
			'test work',
			async () => {
				running += 1;
				if (running > 1) overlapped = true;
				runs += 1;
				await sleep(25);
				running -= 1;
				return { done: 0 };
			},
			5,
			1
		);
		await sleep(200);
		await work.stop();
		const after = runs;
		expect(after).toBeGreaterThanOrEqual(2);
		// Each run takes 25 ms while the timer ticks every 5 ms: ticks during a run are skipped.
		expect(after).toBeLessThanOrEqual(9);
		expect(overlapped).toBe(false);
		await sleep(30);
		expect(runs).toBe(after);
	});

	it('keeps going after a run fails', async () => {
		let runs = 0;
		const work = startPeriodicWork(
			'failing work',
			async () => {
				runs += 1;
				throw new Error('boom');
			},
			5,
			1
		);
		await sleep(100);
		await work.stop();
		expect(runs).toBeGreaterThanOrEqual(2);
	});
});
