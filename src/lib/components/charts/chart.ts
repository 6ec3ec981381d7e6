// Shared pieces of the SVG charts. Charts are drawn on the server as plain SVG: no script, no
// inline style (the CSP forbids it), and never colour alone: values are written beside the bars
// and the second series of a chart is hatched.

/** One value in a chart: `value` places the mark, `text` is written beside it. */
export interface ChartValue {
	/** Null when there is nothing to draw (hidden or no score); `text` says why. */
	value: number | null;
	text: string;
}

/** Where a value from 0 to `max` falls on a scale `width` long; never outside it. */
export function scale(value: number, max: number, width: number): number {
	if (!(max > 0)) return 0;
	return Math.max(0, Math.min(width, (value / max) * width));
}

/** Tick values from 0 to max: every 20 on a 0–100 scale, otherwise 0, half and max. */
export function ticks(max: number): number[] {
	if (max === 100) return [0, 20, 40, 60, 80, 100];
	if (!(max > 0)) return [0];
	const half = max / 2;
	return Number.isInteger(half) ? [0, half, max] : [0, max];
}

/**
 * Splits a label into lines of at most `maxChars` characters, at spaces (a longer word gets a
 * line of its own). SVG text does not wrap, and a narrow chart keeps its text large.
 */
export function wrap(text: string, maxChars: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && line.length + 1 + word.length > maxChars) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines.length ? lines : [''];
}
