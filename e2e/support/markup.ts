/**
 * Markup as a reader gets it: without slot markers (cache/shared-pages.ts) and Svelte's block
 * markers (`<!--[0-->`, `<!--]-->`, `<!---->`, which only guide hydration), and with whitespace
 * folded. Two pages equal under it show the same thing.
 */
export function sameMarkup(html: string): string {
	return html
		.replace(/<!--\/?colab-slot:[^>]*-->/g, '')
		.replace(/<!--(?:\[!?-?\d*|\]|)-->/g, '')
		.replace(/\s+/g, ' ')
		.replace(/> </g, '><');
}
