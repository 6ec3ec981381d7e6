import { Lexer, type Token, type Tokens } from 'marked';
import { markdownToPlainText } from '../markdown';
import { lineDiff } from '../posts/posts.service';

/** One run of words in a comparison: kept, added or removed. */
export interface WordPart {
	kind: 'same' | 'added' | 'removed';
	text: string;
}

/** A clause's words on one line, spaces collapsed (clauses never hold line breaks). */
export function tidyClause(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/**
 * What changed between two clauses, word by word. It reuses the blog history's `lineDiff`
 * (the longest common subsequence), one word or space per "line", then joins runs of a kind.
 */
export function wordDiff(before: string, after: string): WordPart[] {
	if (before === after) return before ? [{ kind: 'same', text: before }] : [];
	const tokens = (s: string) => tidyClause(s).split(/(\s+)/).filter(Boolean);
	const a = tokens(before);
	const b = tokens(after);
	const lines = a.length && b.length ? lineDiff(a.join('\n'), b.join('\n')) : [];
	if (!a.length) lines.push(...b.map((text) => ({ kind: 'added' as const, text })));
	if (!b.length) lines.push(...a.map((text) => ({ kind: 'removed' as const, text })));
	const parts: WordPart[] = [];
	for (const line of lines) {
		// A space between a removed and an added word reads best as kept.
		const last = parts.at(-1);
		if (last && last.kind === line.kind) last.text += line.text;
		else parts.push({ kind: line.kind, text: line.text });
	}
	return parts;
}

export interface DraftSection {
	heading: string;
	clauses: string[];
}

/** What an imported draft holds: its sections, and what was left out and why. */
export interface ParsedDraft {
	/** The `# ` heading, if the draft has one. */
	title: string | null;
	sections: DraftSection[];
	clauseCount: number;
	/** Plain sentences: "A table in “Our vision” was left out (only paragraphs and lists are clauses)." */
	leftOut: string[];
}

/** What the first section is called when clauses come before any `## ` heading. */
export const UNTITLED_SECTION = 'Introduction';

const LEFT_OUT: Partial<Record<string, string>> = {
	code: 'a block of code',
	table: 'a table',
	blockquote: 'a quotation',
	html: 'some HTML',
	hr: 'a dividing line'
};

/**
 * A first draft in Markdown as sections and clauses: each `## ` heading starts a section; each
 * paragraph and each list item (nested items too) is one clause, as plain text. A `# ` heading is
 * the title; deeper headings start a section too. Anything else is reported as left out.
 */
export function parseDraft(markdown: string): ParsedDraft {
	const tokens = new Lexer().lex(markdown.replace(/\r\n?/g, '\n'));
	const sections: DraftSection[] = [];
	const leftOut: string[] = [];
	let title: string | null = null;
	const current = () => {
		if (!sections.length) sections.push({ heading: UNTITLED_SECTION, clauses: [] });
		return sections.at(-1)!;
	};
	const addClause = (raw: string) => {
		const text = tidyClause(markdownToPlainText(raw));
		if (text) current().clauses.push(text);
	};
	const listItems = (list: Tokens.List) => {
		for (const item of list.items) {
			const own = item.tokens.filter((t) => t.type !== 'list');
			addClause(own.map((t) => ('raw' in t ? t.raw : '')).join(' '));
			for (const nested of item.tokens)
				if (nested.type === 'list') listItems(nested as Tokens.List);
		}
	};
	for (const token of tokens as Token[]) {
		if (token.type === 'heading') {
			const text = tidyClause(markdownToPlainText((token as Tokens.Heading).text));
			if ((token as Tokens.Heading).depth === 1 && title === null && !sections.length) title = text;
			else if (text) sections.push({ heading: text, clauses: [] });
		} else if (token.type === 'paragraph' || token.type === 'text') {
			addClause((token as Tokens.Paragraph).text);
		} else if (token.type === 'list') {
			listItems(token as Tokens.List);
		} else if (token.type !== 'space') {
			const what = LEFT_OUT[token.type] ?? 'something that is not a paragraph or list';
			const where = sections.length ? ` in “${sections.at(-1)!.heading}”` : '';
			leftOut.push(
				`${what[0]!.toUpperCase()}${what.slice(1)}${where} was left out: only paragraphs and list items become clauses.`
			);
		}
	}
	const kept = sections.filter((s) => s.clauses.length > 0);
	for (const s of sections)
		if (!s.clauses.length)
			leftOut.push(`The section “${s.heading}” has no clauses, so it was left out.`);
	return {
		title,
		sections: kept,
		clauseCount: kept.reduce((sum, s) => sum + s.clauses.length, 0),
		leftOut
	};
}
