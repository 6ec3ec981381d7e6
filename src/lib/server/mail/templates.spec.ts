import { describe, expect, it } from 'vitest';
import { paragraphsHtml, renderMail } from './templates';

describe('mail templates', () => {
	it('keeps line breaks as <br> and blank lines as new paragraphs, escaping the text', () => {
		expect(paragraphsHtml('When: today\nWhere: <the hall>\n\nBring tea & cake', 'm')).toBe(
			'<p style="m">When: today<br>\nWhere: &lt;the hall&gt;</p>\n<p style="m">Bring tea &amp; cake</p>'
		);
	});

	it('gives each line of a paragraph its own line in the HTML part', () => {
		const { html, text } = renderMail({
			siteName: 'CoLab',
			paragraphs: ['Repair café\nWhen: Monday\nWhere: Library'],
			footnotes: ['One\nTwo']
		});
		expect(html).toContain('Repair café<br>\nWhen: Monday<br>\nWhere: Library</p>');
		expect(html).toContain('One<br>\nTwo</p>');
		expect(text).toContain('Repair café\nWhen: Monday\nWhere: Library\n');
	});
});
