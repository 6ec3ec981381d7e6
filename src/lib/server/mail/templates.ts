/**
 * Builds readable emails with a plain-text part and a simple HTML part, both carrying the
 * site's name. Every piece of text is escaped in the HTML; links appear in full in the text
 * part so they work in any mail program.
 */
export interface MailContent {
	siteName: string;
	/** Shown as the first line, e.g. "Hello Sam,". */
	greeting?: string;
	/**
	 * Plain text. A line break stays a line break in both parts (so an event's "When:" and
	 * "Where:" lines stay apart), and a blank line starts a new paragraph.
	 */
	paragraphs: string[];
	/**
	 * Already sanitised HTML (e.g. from `renderMarkdown`) shown in the HTML part in place of
	 * `paragraphs`, which stay the plain-text part. Never pass unsanitised text here.
	 */
	paragraphsHtml?: string;
	action?: { label: string; url: string };
	/** Smaller text after the action, e.g. "This link expires in 15 minutes." */
	footnotes?: string[];
}

export function escapeHtml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/**
 * One paragraph of plain text as HTML: escaped, a blank line starting a new paragraph and a
 * single line break kept as `<br>`. Mail programs show HTML, where a bare line break is only a
 * space, so without this a block of details runs together on one line.
 */
export function paragraphsHtml(text: string, style = 'margin:0 0 16px'): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split(/\n[ \t]*\n/)
		.map((block) => block.trim())
		.filter(Boolean)
		.map((block) => `<p style="${style}">${block.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
		.join('\n');
}

export function renderMail(content: MailContent): { text: string; html: string } {
	const lines: string[] = [];
	if (content.greeting) lines.push(content.greeting, '');
	for (const p of content.paragraphs) lines.push(p, '');
	if (content.action) lines.push(`${content.action.label}:`, content.action.url, '');
	for (const note of content.footnotes ?? []) lines.push(note, '');
	lines.push('—', content.siteName);
	const text = lines.join('\n');

	const e = escapeHtml;
	const html = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(content.siteName)}</title></head>
<body style="margin:0;padding:0;background:#f3f2f1;color:#0b0c0c;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#ffffff">
<div style="background:#1d4f91;color:#ffffff;padding:16px 24px;font-size:24px;font-weight:bold">${e(content.siteName)}</div>
<div style="padding:24px">
${content.greeting ? `<p style="margin:0 0 16px">${e(content.greeting)}</p>` : ''}
${content.paragraphsHtml ?? content.paragraphs.map((p) => paragraphsHtml(p)).join('\n')}
${
	content.action
		? `<p style="margin:24px 0"><a href="${e(content.action.url)}" style="display:inline-block;background:#00703c;color:#ffffff;padding:12px 20px;text-decoration:none;font-weight:bold">${e(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:16px">If the button does not work, copy this address into your browser:<br><a href="${e(content.action.url)}" style="color:#1a56a6;word-break:break-all">${e(content.action.url)}</a></p>`
		: ''
}
${(content.footnotes ?? []).map((n) => paragraphsHtml(n, 'margin:0 0 16px;font-size:16px;color:#484949')).join('\n')}
</div>
</div>
</body>
</html>`;
	return { text, html };
}
