// Counts in words, shared by the server and the pages: "1 event", "2 events", "1 person
// matches", "3 people match". Nothing here may be server-only.

/** A count and its noun, agreeing: `plural(1, 'event', 'events')` is "1 event"; 1200 → "1,200 events". */
export function plural(count: number, one: string, many: string): string {
	return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

/** The word (a noun or a verb) that agrees with a count, without it: `agree(n, 'matches', 'match')`. */
export function agree(count: number, one: string, many: string): string {
	return count === 1 ? one : many;
}
