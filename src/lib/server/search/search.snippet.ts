/**
 * The engines mark matches with these two characters. Neither can be stored (the repository
 * removes control characters from what it indexes), so only the engine can have put them there.
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Removes control characters except tab, line feed and carriage return. */
export function withoutControlCharacters(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/**
 * An engine's snippet as safe HTML: everything escaped, then the engine's markers turned into
 * `<mark>` (balanced, even when the engine cut a fragment inside a match).
 */
export function snippetHtml(raw: string | null | undefined): string {
	let html = '';
	let open = false;
	for (const char of raw ?? '') {
		if (char === MARK_START) {
			if (!open) html += '<mark>';
			open = true;
		} else if (char === MARK_END) {
			if (open) html += '</mark>';
			open = false;
		} else if (char in ESCAPES) {
			html += ESCAPES[char];
		} else if (withoutControlCharacters(char) !== '') {
			html += char;
		}
	}
	return open ? `${html}</mark>` : html;
}
