import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
	markdownExcerpt,
	markdownToPlainText,
	markdownToSearchText,
	renderMarkdown
} from './markdown';

const REL = 'rel="nofollow ugc noopener"';
const ALLOWED_TAGS = new Set([
	'p',
	'br',
	'strong',
	'em',
	'del',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'a',
	'h2',
	'h3',
	'h4',
	'hr',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td'
]);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = { a: ['href', 'rel'], ol: ['start'] };

/**
 * Checks every tag in rendered HTML: allowed name, allowed attributes only, and links only to
 * http, https or mailto. Text may mention `onerror=` or `javascript:` (escaped source is shown
 * as text); a tag may not.
 */
function expectSafe(html: string): void {
	expect(html).not.toMatch(/<script/i);
	expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
	expect(html).not.toMatch(/<[^>]*(javascript|vbscript|data):/i);
	expect(html).not.toMatch(/<[^>]*\s(style|class|id|src|target)=/i);
	const tags = html.match(/<[^>]*>/g) ?? [];
	for (const tag of tags) {
		const match = /^<\/?([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>$/.exec(tag);
		expect(match, tag).not.toBeNull();
		const name = match?.[1] ?? '';
		expect(ALLOWED_TAGS.has(name), tag).toBe(true);
		for (const [, attribute, value] of (match?.[2] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)) {
			expect(ALLOWED_ATTRIBUTES[name] ?? [], tag).toContain(attribute);
			if (attribute === 'href') expect(value, tag).toMatch(/^(https?:\/\/|mailto:)/);
		}
	}
	expect(html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]/);
}

describe('renderMarkdown: hostile input', () => {
	const vectors: [name: string, source: string, expected?: string][] = [
		['script tag', '<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
		[
			'inline script tag',
			'Hi <script>alert(1)</script> there',
			'<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; there</p>'
		],
		['img onerror', '<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
		['IMG with mixed-case javascript src', "<IMG SRC=JaVaScRiPt:alert('XSS')>"],
		['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
		['svg onload', 'x <svg onload=alert(1)>'],
		['html anchor', '<a href="javascript:alert(1)">x</a>'],
		['nested script', '<<script>alert(1);//<</script>'],
		['style block', '<style>@import "http://evil.example/x.css";</style>'],
		['div style url', '<div style="background:url(javascript:alert(1))">x</div>'],
		['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
		['form action', '<form action="javascript:alert(1)"><button>x</button></form>'],
		[
			'object data',
			'<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>'
		],
		['mutation XSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
		['javascript link', '[click](javascript:alert(1))', '<p>click</p>'],
		['mixed-case javascript link', '[click](JaVaScRiPt:alert(1))', '<p>click</p>'],
		['hex entity in scheme', '[click](jav&#x61;script:alert(1))', '<p>click</p>'],
		[
			'decimal entities for the whole scheme',
			'[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
			'<p>click</p>'
		],
		['named entity colon', '[click](javascript&colon;alert(1))', '<p>click</p>'],
		['tab inside scheme', '[click](<java\tscript:alert(1)>)', '<p>click</p>'],
		['encoded tab inside scheme', '[click](java&#x09;script:alert(1))', '<p>click</p>'],
		['encoded newline before scheme', '[click](&#x0A;javascript:alert(1))', '<p>click</p>'],
		['leading space in angle brackets', '[click](< javascript:alert(1)>)', '<p>click</p>'],
		['control character before scheme', '[click](&#1;javascript:alert(1))', '<p>click</p>'],
		[
			'data link',
			'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
			'<p>click</p>'
		],
		['vbscript link', '[click](vbscript:msgbox(1))', '<p>click</p>'],
		['javascript autolink', '<javascript:alert(1)>', '<p>javascript:alert(1)</p>'],
		['reference link', '[click][x]\n\n[x]: javascript:alert(1)', '<p>click</p>'],
		['javascript image', '![x](javascript:alert(1))', '<p>x</p>'],
		['data image', '![x](data:image/svg+xml;base64,PHN2Zy8+)', '<p>x</p>'],
		[
			'image alt breaking out of the attribute',
			'![x" onerror="alert(1)](https://example.org/x.png)',
			`<p><a href="https://example.org/x.png" ${REL}>x" onerror="alert(1)</a></p>`
		],
		[
			'link title breaking out of the attribute',
			'[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
			`<p><a href="https://example.org/" ${REL}>x</a></p>`
		],
		[
			'quotes in a GFM autolink',
			'www.example.org/"onmouseover="alert(1)',
			`<p><a href="http://www.example.org/%22onmouseover=%22alert(1)" ${REL}>www.example.org/"onmouseover="alert(1)</a></p>`
		],
		[
			'code span',
			'`<script>alert(1)</script>`',
			'<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>'
		],
		[
			'fenced code with a language',
			'```html" onclick="alert(1)\n<script>alert(1)</script>\n```',
			'<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>'
		],
		['html comment', '<!-- <script>alert(1)</script> -->']
	];

	it.each(vectors)('%s', (_name, source, expected) => {
		const html = renderMarkdown(source);
		expectSafe(html);
		if (expected !== undefined) expect(html).toBe(expected);
	});

	it('drops relative and protocol-relative links, keeping their text', () => {
		expect(renderMarkdown('[a](//evil.example) [b](/events/1) [c](#top)')).toBe('<p>a b c</p>');
	});

	it('does not nest a link inside a link', () => {
		expect(renderMarkdown('[see ![map](https://example.org/map.png)](https://example.org/)')).toBe(
			`<p><a href="https://example.org/" ${REL}>see map</a></p>`
		);
	});
});

describe('renderMarkdown: formatting', () => {
	it('keeps emphasis, strikethrough and code', () => {
		expect(renderMarkdown('**bold** *em* _also em_ ~~gone~~ `a < b`')).toBe(
			'<p><strong>bold</strong> <em>em</em> <em>also em</em> <del>gone</del> <code>a &lt; b</code></p>'
		);
	});

	it('keeps single line breaks and splits paragraphs', () => {
		expect(renderMarkdown('Village hall\nHigh Street\n\nDoors at 7pm')).toBe(
			'<p>Village hall<br />High Street</p>\n<p>Doors at 7pm</p>'
		);
	});

	it('renders lists, nested lists and ordered lists with their start', () => {
		expect(renderMarkdown('- tea\n- cake\n  - lemon\n\n3. third\n4. fourth')).toBe(
			'<ul>\n<li>tea</li>\n<li>cake<ul>\n<li>lemon</li>\n</ul>\n</li>\n</ul>\n' +
				'<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>'
		);
	});

	it('renders task list boxes as characters', () => {
		expect(renderMarkdown('- [ ] chairs\n- [x] urn')).toBe(
			'<ul>\n<li>☐ chairs</li>\n<li>☑ urn</li>\n</ul>'
		);
	});

	it('renders links with rel and no target', () => {
		expect(renderMarkdown('[Tickets](https://example.org/t?a=1&b=2 "Buy")')).toBe(
			`<p><a href="https://example.org/t?a=1&amp;b=2" ${REL}>Tickets</a></p>`
		);
	});

	it('decodes character references in link destinations', () => {
		expect(renderMarkdown('[Tickets](https://example.org/t?a=1&amp;b=2)')).toBe(
			`<p><a href="https://example.org/t?a=1&amp;b=2" ${REL}>Tickets</a></p>`
		);
	});

	it('renders mailto links and GFM autolinks', () => {
		expect(
			renderMarkdown('[Write](mailto:hello@example.org), www.example.org or hi@example.org')
		).toBe(
			`<p><a href="mailto:hello@example.org" ${REL}>Write</a>, ` +
				`<a href="http://www.example.org/" ${REL}>www.example.org</a> or ` +
				`<a href="mailto:hi@example.org" ${REL}>hi@example.org</a></p>`
		);
	});

	it('keeps formatting inside links', () => {
		expect(renderMarkdown('[**Book** now](https://example.org/book)')).toBe(
			`<p><a href="https://example.org/book" ${REL}><strong>Book</strong> now</a></p>`
		);
	});

	it('turns images into links labelled with their alt text, or their URL', () => {
		expect(
			renderMarkdown('![Hall *plan*](https://example.org/plan.png) ![](https://example.org/x.png)')
		).toBe(
			`<p><a href="https://example.org/plan.png" ${REL}>Hall plan</a> ` +
				`<a href="https://example.org/x.png" ${REL}>https://example.org/x.png</a></p>`
		);
	});

	it('shows raw HTML as text', () => {
		expect(renderMarkdown('Bring <b>food</b>\n\n<div>\nhello\n</div>')).toBe(
			'<p>Bring &lt;b&gt;food&lt;/b&gt;</p>\n<p>&lt;div&gt;\nhello\n&lt;/div&gt;</p>'
		);
	});

	it('renders blockquotes, rules and code blocks without classes', () => {
		expect(renderMarkdown('> Said\n\n---\n\n```js\nlet a = 1;\n```')).toBe(
			'<blockquote>\n<p>Said</p>\n</blockquote>\n<hr />\n<pre><code>let a = 1;</code></pre>'
		);
	});

	it('renders tables without alignment attributes', () => {
		expect(renderMarkdown('| Time | What |\n|:-----|-----:|\n| 7pm | **Talk** |')).toBe(
			'<table>\n<thead>\n<tr>\n<th>Time</th>\n<th>What</th>\n</tr>\n</thead>\n' +
				'<tbody><tr>\n<td>7pm</td>\n<td><strong>Talk</strong></td>\n</tr>\n</tbody></table>'
		);
	});

	it('keeps character references and escapes', () => {
		expect(renderMarkdown('Tom &amp; Jerry &copy; &#169; a & b \\*not em\\*')).toBe(
			'<p>Tom &amp; Jerry © © a &amp; b *not em*</p>'
		);
	});

	it('returns an empty string for empty or blank input', () => {
		expect(renderMarkdown('')).toBe('');
		expect(renderMarkdown('  \n\n ')).toBe('');
	});
});

describe('renderMarkdown: headings', () => {
	const source = '# One\n## Two\n### Three\n#### Four\n###### Six';

	it('moves headings down one level by default, no deeper than h4', () => {
		expect(renderMarkdown(source)).toBe(
			'<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h4>Four</h4>\n<h4>Six</h4>'
		);
	});

	it('never renders h1, even with no offset', () => {
		expect(renderMarkdown(source, { headingOffset: 0 })).toBe(
			'<h2>One</h2>\n<h2>Two</h2>\n<h3>Three</h3>\n<h4>Four</h4>\n<h4>Six</h4>'
		);
	});

	it('moves headings further for pages that already use h2', () => {
		expect(renderMarkdown(source, { headingOffset: 2 })).toBe(
			'<h3>One</h3>\n<h4>Two</h4>\n<h4>Three</h4>\n<h4>Four</h4>\n<h4>Six</h4>'
		);
	});

	it('shifts setext headings and headings inside quotes too', () => {
		expect(renderMarkdown('Title\n=====\n\n> ## Quoted')).toBe(
			'<h2>Title</h2>\n<blockquote>\n<h3>Quoted</h3>\n</blockquote>'
		);
	});

	it('leaves the global marked instance alone', () => {
		renderMarkdown('# One');
		expect(marked.parse('# One\n\n<b>x</b>', { async: false })).toBe(
			'<h1>One</h1>\n<p><b>x</b></p>\n'
		);
	});

	it('does not add ids to headings', () => {
		expect(renderMarkdown('# Hello world')).toBe('<h2>Hello world</h2>');
	});
});

describe('markdownToPlainText', () => {
	it('strips formatting and keeps paragraphs apart', () => {
		expect(
			markdownToPlainText('# Repair Café\n\nBring **broken** things\nand *tools*.\n\n\n\nFree.')
		).toBe('Repair Café\n\nBring broken things\nand tools.\n\nFree.');
	});

	it('writes links as text (url), and autolinks once', () => {
		expect(
			markdownToPlainText(
				'[Tickets](https://example.org/t?a=1&amp;b=2), <https://example.org>, ' +
					'[mail us](mailto:hi@example.org), hi@example.org, ' +
					'[https://example.org/x](https://example.org/x)'
			)
		).toBe(
			'Tickets (https://example.org/t?a=1&b=2), https://example.org, mail us (hi@example.org), ' +
				'hi@example.org, https://example.org/x'
		);
	});

	it('keeps only the text of unsafe links', () => {
		expect(markdownToPlainText('[click](javascript:alert(1)) [here](/relative)')).toBe(
			'click here'
		);
	});

	it('puts list items on their own lines', () => {
		expect(
			markdownToPlainText('Bring:\n\n- cups\n- plates\n  - small\n\n1. arrive\n2. set up')
		).toBe('Bring:\n\n- cups\n- plates\n  - small\n\n1. arrive\n2. set up');
	});

	it('keeps loose list items together, with continuation lines indented', () => {
		expect(markdownToPlainText('- [ ] first\n\n  more\n\n- [x] second')).toBe(
			'- ☐ first\n  more\n- ☑ second'
		);
	});

	it('writes images as alt text and URL', () => {
		expect(
			markdownToPlainText(
				'![Hall plan](https://example.org/plan.png) ![](https://example.org/x.png) ![pixel](data:x)'
			)
		).toBe('Hall plan (https://example.org/plan.png) https://example.org/x.png pixel');
	});

	it('writes tables a row per line', () => {
		expect(markdownToPlainText('| Time | What |\n|-|-|\n| 7pm | **Talk** |\n| 8pm | |')).toBe(
			'Time | What\n7pm | Talk\n8pm |'
		);
	});

	it('keeps code, quotes and raw HTML as written', () => {
		expect(markdownToPlainText('> quoted `a<b`\n\n---\n\n```\nx &amp; y\n```\n\n<b>bold</b>')).toBe(
			'quoted a<b\n\nx &amp; y\n\n<b>bold</b>'
		);
	});

	it('decodes character references', () => {
		expect(markdownToPlainText('Tom &amp; Jerry &copy; &#169; &#x2014; a & b \\*')).toBe(
			'Tom & Jerry © © — a & b *'
		);
	});

	it('cuts at a word boundary and adds an ellipsis', () => {
		const text = 'Bring your broken toasters, lamps and bikes to the hall.';
		expect(markdownToPlainText(text, 30)).toBe('Bring your broken toasters…');
		expect(markdownToPlainText(text, 30).length).toBeLessThanOrEqual(30);
		expect(markdownToPlainText(text, 200)).toBe(text);
		expect(markdownToPlainText(text, text.length)).toBe(text);
	});

	it('cuts a single long word mid-word', () => {
		expect(markdownToPlainText('Supercalifragilistic', 10)).toBe('Supercali…');
	});

	it('does not split characters outside the basic plane', () => {
		expect(markdownToPlainText('🎉🎉🎉🎉🎉🎉', 4)).toBe('🎉🎉🎉…');
	});

	it('returns an empty string for empty input', () => {
		expect(markdownToPlainText('')).toBe('');
		expect(markdownToPlainText('text', 0)).toBe('');
	});
});

describe('markdownToSearchText', () => {
	it('gives prose without Markdown its paragraphs and line breaks, tidied', () => {
		const source =
			'Bring things to fix: lamps, bikes (and toasters).  \nFree!\n\n\n\nAsk “Sam” – at 18:00.  ';
		expect(markdownToSearchText(source)).toBe(
			'Bring things to fix: lamps, bikes (and toasters).\nFree!\n\nAsk “Sam” – at 18:00.'
		);
		expect(markdownToSearchText(source)).toBe(markdownToPlainText(source));
	});

	it('reads Markdown, bare links and list-like lines as markdownToPlainText does', () => {
		for (const source of [
			'We **talk** about [it](https://example.org) together.',
			'See www.example.org or https://example.org for more',
			'Mail hi@example.org',
			'Plan\n1. arrive\n2. set up',
			'Plan\n- arrive\n+ set up',
			'Title\n===\n\nText\n---',
			'    indented code',
			'Tom &amp; Jerry \\* a_b_c ~~gone~~ `code` <b>bold</b> | a | b |',
			'# Heading\n> quote'
		]) {
			expect(markdownToSearchText(source)).toBe(markdownToPlainText(source));
		}
	});

	it('gives the same text as markdownToPlainText for any mix of prose and Markdown', () => {
		// The shortcut must never change what is indexed: random text, mostly prose with some
		// Markdown, spaces and blank lines where they matter most (line starts and ends).
		const pieces = [
			'carers',
			'Café',
			'meet',
			'2030',
			'at',
			'18:00',
			'the',
			'hall',
			' ',
			' ',
			' ',
			'  ',
			'\n',
			'\n',
			'\n\n',
			'\n\n\n',
			', ',
			'. ',
			'; ',
			'? ',
			'! ',
			'(',
			')',
			'"',
			"'",
			'’',
			'–',
			'…',
			'/',
			'-',
			'- ',
			'1. ',
			'2) ',
			'#',
			'*',
			'**',
			'_',
			'[',
			']',
			'(https://e.org)',
			'<',
			'>',
			'&amp;',
			'&',
			'\\',
			'`',
			'~',
			'|',
			'=',
			'===',
			'---',
			'\t',
			'www.',
			'e.org',
			'://',
			'@',
			'\r\n',
			'\u00a0',
			'🎉'
		];
		let seed = 17;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
		let prose = 0;
		for (let i = 0; i < 3000; i++) {
			const length = 1 + Math.floor(random() * 30);
			let source = '';
			for (let j = 0; j < length; j++) {
				// Two draws in three from the prose pieces, so the shortcut is taken often.
				const from = random() < 0.67 ? 30 : pieces.length;
				source += pieces[Math.floor(random() * from)];
			}
			if (!/[^\p{L}\p{N}\s.,;:?!'"()’–…/]/u.test(source)) prose++;
			expect(markdownToSearchText(source), JSON.stringify(source)).toBe(
				markdownToPlainText(source)
			);
		}
		expect(prose).toBeGreaterThan(300);
	});
});

describe('markdownExcerpt', () => {
	it('puts everything on one line, keeping headings and list items apart', () => {
		expect(markdownExcerpt('## Repair Café\n\nBring **things**\nto fix.\n\n- lamps\n- bikes')).toBe(
			'Repair Café. Bring things to fix. lamps; bikes'
		);
	});

	it('reads a list after a colon as a run of items, never as " - " text', () => {
		const source = [
			'We will:',
			'',
			'- share what works',
			'- plan the *next* steps.',
			'- [x] book the room',
			'',
			'1. Arrive',
			'2. Talk',
			'',
			'Tea & cake provided'
		].join('\n');
		const excerpt = markdownExcerpt(source);
		expect(excerpt).toBe(
			'We will: share what works; plan the next steps. ☑ book the room. Arrive; Talk. Tea & cake provided'
		);
		expect(excerpt).not.toContain(' - ');
	});

	it('keeps nested lists and quotes readable, and raw HTML as literal text', () => {
		expect(markdownExcerpt('- Food\n  - soup\n  - bread\n- Drink')).toBe(
			'Food: soup; bread; Drink'
		);
		expect(markdownExcerpt('> Come along\n\n<b>bold</b>')).toBe('Come along. <b>bold</b>');
	});

	it('cuts to 200 characters by default', () => {
		const source = 'word '.repeat(100);
		const excerpt = markdownExcerpt(source);
		expect(excerpt).toBe(`${'word '.repeat(39)}word…`);
		expect(excerpt.length).toBe(200);
	});

	it('cuts to a given length without leaving punctuation before the ellipsis', () => {
		expect(markdownExcerpt('Tea, cake, and a [talk](https://example.org/talk).', 12)).toBe(
			'Tea, cake…'
		);
	});
});

describe('renderMarkdown, the comment subset (restricted)', () => {
	const comment = (source: string) => renderMarkdown(source, { restricted: true });

	it('keeps emphasis, links, lists, code and quotes', () => {
		const html = comment(
			'*Yes* and **no** [site](https://example.org)\n\n- one\n- two\n\n`x`\n\n> quoted'
		);
		expect(html).toContain('<em>Yes</em>');
		expect(html).toContain('<strong>no</strong>');
		expect(html).toContain(`<a href="https://example.org/" ${REL}>site</a>`);
		expect(html).toContain('<ul>');
		expect(html).toContain('<code>x</code>');
		expect(html).toContain('<blockquote>');
	});

	it('turns headings into paragraphs and leaves out rules and tables, keeping their text', () => {
		const html = comment('# Big\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |');
		expect(html).not.toMatch(/<h\d|<hr|<table|<td/);
		expect(html).toContain('<p>Big</p>');
		expect(html).toContain('1');
	});

	it('shows an image as its alt text only, never a link to it', () => {
		const html = comment('![a cat](https://example.org/cat.png)');
		expect(html).toBe('<p>a cat</p>');
	});

	it('renders script, handlers, javascript: and data: links inert', () => {
		const html = comment(
			'<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html,hi) <iframe src="https://e.org"></iframe> <svg onload=alert(1)>'
		);
		expect(html).not.toMatch(/<script|<img|<iframe|<svg|href="javascript|href="data/);
		expect(html).toContain('&lt;script&gt;');
	});

	it('does not change the full renderer for the next call', () => {
		comment('# Heading');
		expect(renderMarkdown('# Heading')).toBe('<h2>Heading</h2>');
	});
});
