import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { assessmentSchema } from './assessments/assessments.schema';
import { closeSchema } from './events/cafe.service';
import { eventSchema } from './events/events.schema';
import { recordSchema } from './events/events.service';
import { settingsSchema } from './events/events.settings';
import { offerSchema } from './events/talks.service';
import { suspensionSchema } from './moderation/moderation.schema';
import { trustSettingsSchema } from './moderation/moderation.settings.service';
import { optionNumberSchema } from './decisions/decisions.schema';

/** Every number box in the app, by its field name, with the schema that reads it. */
const NUMBER_FIELDS: Record<string, z.ZodType> = {
	capacity: eventSchema.shape.capacity,
	reservedPlaces: eventSchema.shape.reservedPlaces,
	threshold: assessmentSchema.shape.threshold,
	minutes: offerSchema.shape.minutes,
	attendance: recordSchema.shape.attendance,
	claimWindowHours: settingsSchema.shape.claimWindowHours,
	tables: closeSchema.shape.tables,
	days: suspensionSchema.shape.days,
	firstPostsWait: trustSettingsSchema.shape.firstPostsWait,
	linkLimit: trustSettingsSchema.shape.linkLimit,
	hideAfterReports: trustSettingsSchema.shape.hideAfterReports,
	// A decision's dots, scores or ranks, one box per option.
	'value-{option.id}': optionNumberSchema
};

/** Names of the text boxes in src/routes that ask for a number (inputmode="numeric"). */
function numericBoxesInRoutes(): Set<string> {
	const names = new Set<string>();
	const root = join(process.cwd(), 'src/routes');
	for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !entry.name.endsWith('.svelte')) continue;
		const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
		for (const [tag] of source.matchAll(/<(?:TextField|input)\b[^>]*?\/?>/gs)) {
			if (!/inputmode="numeric"|type="number"/.test(tag)) continue;
			const name = /\bname="([^"]+)"/.exec(tag)?.[1];
			if (name) names.add(name);
		}
	}
	return names;
}

describe('number fields', () => {
	it('covers every number box in the pages', () => {
		expect([...numericBoxesInRoutes()].sort()).toEqual(Object.keys(NUMBER_FIELDS).sort());
	});

	const WRONG = ['-5', '−5', '2.5', 'ten', '1e3', '0x10', '99999999999999999999', '5 people'];
	for (const [name, schema] of Object.entries(NUMBER_FIELDS)) {
		it(`${name}: anything but a whole number in range gets a plain-English message`, () => {
			for (const typed of WRONG) {
				const result = schema.safeParse(typed);
				expect(result.success, `${name} took ${typed}`).toBe(false);
				const messages = result.error?.issues.map((i) => i.message) ?? [];
				expect(messages).toHaveLength(1);
				const [message] = messages as [string];
				expect(message).not.toMatch(/invalid|expected|received|NaN/i);
				// A sentence that says what the box takes: its limit, in numbers.
				expect(message, `${name} for ${typed}`).toMatch(/^[A-Z][^.]*\d/);
			}
		});
	}

	it('says the range, with the field’s name, for a negative number of places', () => {
		expect(eventSchema.shape.capacity.safeParse('-5').error?.issues[0]?.message).toBe(
			'Number of places must be a whole number from 1 to 10,000, or leave it empty for no limit'
		);
		expect(assessmentSchema.shape.threshold.safeParse('-5').error?.issues[0]?.message).toBe(
			'The fewest answers before a group’s results show must be a whole number from 3 to 50'
		);
	});

	it('still takes whole numbers, with thousands separators, and empty boxes where allowed', () => {
		expect(eventSchema.shape.capacity.parse(' 1,000 ')).toBe(1000);
		expect(eventSchema.shape.capacity.parse('')).toBeNull();
		expect(eventSchema.shape.reservedPlaces.parse('0')).toBe(0);
		expect(assessmentSchema.shape.threshold.parse('')).toBe(3);
		expect(offerSchema.shape.minutes.parse(undefined)).toBe(5);
		expect(recordSchema.shape.attendance.parse('18')).toBe(18);
	});
});
