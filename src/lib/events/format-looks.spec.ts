import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_FORMAT_LOOK,
	FORMAT_COLOURS,
	FORMAT_COLOUR_LABELS,
	FORMAT_ICONS,
	FORMAT_ICON_LABELS,
	FORMAT_ICON_PATHS
} from './format-looks';

// The colours are drawn from app.css, where the pages get them: each format's name is written
// in its colour, so every colour must pass WCAG AA for text (4.5:1) on the backgrounds it sits on.
const css = readFileSync(join(import.meta.dirname, '../../app.css'), 'utf8');
const darkStart = css.indexOf('@media (prefers-color-scheme: dark) {\n\t.format-look--');
const lightCss = css.slice(0, darkStart);
const darkCss = css.slice(darkStart);

function variable(source: string, name: string): string {
	const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{6});`, 'i').exec(source);
	if (!match) throw new Error(`--${name} not found`);
	return match[1]!;
}

function ink(source: string, colour: string): string | undefined {
	return new RegExp(`\\.format-look--${colour} \\{\\s*--format-ink: (#[0-9a-f]{6});`).exec(
		source
	)?.[1];
}

function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
	const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (high! + 0.05) / (low! + 0.05);
}

const rootLight = css.slice(css.indexOf(':root {'));
const rootDark = css.slice(css.indexOf('@media (prefers-color-scheme: dark) {\n\t:root {'));
const schemes = [
	{ name: 'light', rules: lightCss, backgrounds: ['bg', 'bg-subtle'], root: rootLight },
	{ name: 'dark', rules: darkCss, backgrounds: ['bg', 'bg-subtle'], root: rootDark }
];

describe('format colours', () => {
	it('are measured from real rules (the test finds them)', () => {
		expect(ink(lightCss, 'blue')).toBe('#1d4f91');
		expect(contrast('#000000', '#ffffff')).toBeCloseTo(21);
		expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
	});

	for (const scheme of schemes) {
		it.each(FORMAT_COLOURS)(`%s is readable as text in the ${scheme.name} scheme`, (colour) => {
			const value = ink(scheme.rules, colour);
			expect(value, `.format-look--${colour} in the ${scheme.name} scheme`).toBeDefined();
			for (const background of scheme.backgrounds) {
				const ground = variable(scheme.root, background);
				expect(
					contrast(value!, ground),
					`${colour} on --${background} (${ground}) in the ${scheme.name} scheme`
				).toBeGreaterThanOrEqual(4.5);
			}
		});
	}

	it('each have a name people can choose by, and the colours differ', () => {
		for (const colour of FORMAT_COLOURS) expect(FORMAT_COLOUR_LABELS[colour]).toBeTruthy();
		const values = FORMAT_COLOURS.map((c) => ink(lightCss, c));
		expect(new Set(values).size).toBe(FORMAT_COLOURS.length);
	});
});

describe('format icons', () => {
	it('are inline path data with a name each, and the default look is in the lists', () => {
		for (const icon of FORMAT_ICONS) {
			expect(FORMAT_ICON_LABELS[icon]).toBeTruthy();
			// Path commands and numbers only: nothing that could carry markup or a URL.
			expect(FORMAT_ICON_PATHS[icon]).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9 .,-]+$/);
		}
		expect(FORMAT_COLOURS).toContain(DEFAULT_FORMAT_LOOK.colour);
		expect(FORMAT_ICONS).toContain(DEFAULT_FORMAT_LOOK.icon);
	});
});
