import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import { registerMember } from './registrations.service';

/**
 * The lines a mail program shows for an HTML body: a line break in the source is only a space;
 * `<br>` and the end of a paragraph break lines.
 */
function shownLines(html: string): string[] {
	const body = html.slice(html.indexOf('<body'));
	return body
		.replace(/\s+/g, ' ')
		.replace(/<br\s*\/?>/g, '\n')
		.replace(/<\/(p|div)>/g, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/\s*\n\s*/g, '\n')
		.replace(/[ \t]+/g, ' ')
		.replaceAll('&amp;', '&')
		.replaceAll('&#39;', "'")
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
}

describeEachDatabase('event mails as sent', (ctx) => {
	it('puts each of the event’s details on its own line, in the HTML and the text', async () => {
		const { event } = await publishedEvent(ctx.db, {
			mode: 'hybrid',
			onlineUrl: 'https://meet.example.org/carers'
		});
		const member = await testMember(ctx.db);
		const result = await registerMember(ctx.db, TEST_SITE, member, event.id, {});
		expect(result.ok).toBe(true);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select(['html_body', 'text_body'])
			.where('to_address', '=', member.email)
			.where('kind', '=', 'events.place-confirmed')
			.executeTakeFirstOrThrow();

		const lines = shownLines(mail.html_body ?? '');
		const when = lines.find((l) => l.startsWith('When:'));
		expect(when).toBe('When: Tuesday 4 June 2030, 6pm to 7:30pm');
		expect(lines).toContain(
			'Where: Riverside Library, 1 High Street, Riverside RV1 2AB, or online'
		);
		expect(lines).toContain('Online link: https://meet.example.org/carers');
		expect(lines).toContain(event.title);
		// Nothing runs into the next detail.
		expect(lines.filter((l) => /When:|Where:|Online link:/.test(l))).toHaveLength(3);

		const text = (mail.text_body ?? '').split('\n');
		expect(text).toContain('When: Tuesday 4 June 2030, 6pm to 7:30pm');
		expect(text).toContain('Where: Riverside Library, 1 High Street, Riverside RV1 2AB, or online');
	});
});
