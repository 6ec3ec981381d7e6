import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { mailTo } from '../auth/auth.testing';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import {
	IMPORT_MAX_ROWS,
	blockAddressAsAdministrator,
	exportSubscribersCsv,
	importSubscribers,
	subscriberCounts
} from './updates.admin.service';
import {
	hashAddress,
	mayMailUpdates,
	stopMemberUpdates,
	unsubscribeByLink,
	viewPreferences
} from './updates.service';
import { suppress } from './updates.repository';
import { parseCsv } from '../csv';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const TODAY = '2026-12-02';
let counter = 0;

function address(tag = 'imported') {
	counter++;
	return `${tag}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

function token(text: string, path: string): string {
	const match = new RegExp(`https://colab\\.test${path}([A-Za-z0-9_-]+)`).exec(text);
	if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
	return match[1];
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
	// ignoreBOM keeps the byte-order mark in the text, so the spec can see it is there.
	const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

describeEachDatabase('administrators and the list of subscribers', (ctx) => {
	const admin = () => createTestUser(ctx.db, { role: 'administrator' });
	const options = { today: TODAY };

	it('imports good rows, reports bad ones by line, and mails each new person once', async () => {
		const actor = await admin();
		const [good, spaced, dup] = [address(), address(), address()];
		const csv = [
			'\uFEFFEmail,Agreed_On,How',
			`${good},2026-03-14,"signed up on the paper form, March event"`,
			`not-an-address,2026-03-14,form`,
			`${address()},,form`,
			`${address()},2026-12-03,form`,
			`${address()},14/03/2026,form`,
			`${address()},2026-03-14,`,
			'',
			`  ${spaced.toUpperCase()}  ,2026-01-01,old list`,
			`${dup},2026-01-01,old list`,
			`${dup.toUpperCase()},2026-01-02,again`,
			`${address()},2026-01-01,${'x'.repeat(501)}`
		].join('\r\n');
		const result = await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv, topics: ['events', 'announcements'] },
			options
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.report.imported).toBe(3);
		expect(result.report.skipped).toEqual([]);
		expect(result.report.rejected.map((r) => [r.line, r.reason])).toEqual([
			[3, 'The email address is not in the right format.'],
			[4, 'The date they agreed is missing.'],
			[5, 'The date they agreed is in the future.'],
			[6, 'The date must be a real date written as year-month-day, like 2026-03-14.'],
			[7, 'How they agreed is missing.'],
			[11, 'The address is already on line 10.'],
			[12, 'How they agreed is longer than 500 characters.']
		]);

		const row = await ctx.db
			.selectFrom('update_subscriber')
			.selectAll()
			.where('email', '=', good)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			status: 'subscribed',
			consent_method: 'import',
			consent_detail: 'signed up on the paper form, March event'
		});
		expect(row.consented_at?.slice(0, 10)).toBe('2026-03-14');
		expect(await mayMailUpdates(ctx.db, spaced)).toBe(true);

		const mails = await mailTo(ctx.db, good);
		expect(mails).toHaveLength(1);
		expect(mails[0]!.kind).toBe('updates.import-welcome');
		expect(JSON.parse(mails[0]!.headers!)).toMatchObject({
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		});
		const preferences = await viewPreferences(
			ctx.db,
			token(mails[0]!.text_body, '/updates/preferences/')
		);
		expect(preferences).toMatchObject({
			email: good,
			status: 'subscribed',
			topics: ['announcements', 'events']
		});
		// The one-click link in the mail works.
		const unsubscribe = token(mails[0]!.text_body, '/updates/unsubscribe/');
		expect(await unsubscribeByLink(ctx.db, unsubscribe)).toMatchObject({ ok: true });
		expect(await mayMailUpdates(ctx.db, good)).toBe(false);

		const audit = await ctx.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'updates.imported')
			.where('actor_id', '=', actor.id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.detail!)).toEqual({ imported: 3, rejected: 7, skipped: 0, topics: 2 });
		expect(audit.detail).not.toContain('@');
	});

	it('never imports a suppressed address, leaves subscribers alone, and a double press imports nothing twice', async () => {
		const actor = await admin();
		const [gone, blocked, removed, fresh] = [address(), address(), address(), address()];
		await stopMemberUpdates(
			ctx.db,
			{ id: 'x', name: 'X', email: gone, emailVerified: true, role: 'member' },
			gone
		);
		await blockAddressAsAdministrator(ctx.db, actor, blocked);
		await suppress(ctx.db, hashAddress(removed), 'unsubscribed', new Date().toISOString());
		const csv = [
			'how,email,agreed_on',
			`form,${gone},2026-01-01`,
			`form,${blocked},2026-01-01`,
			`form,${removed},2026-01-01`,
			`form,${fresh},2026-01-01`
		].join('\n');
		const first = await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv, topics: ['events'] },
			options
		);
		expect(first.ok && first.report.imported).toBe(1);
		expect(first.ok && first.report.skipped.map((s) => [s.line, s.reason])).toEqual([
			[2, 'Unsubscribed earlier: not imported.'],
			[3, 'Blocked: not imported.'],
			[4, 'Unsubscribed earlier: not imported.']
		]);
		for (const email of [gone, blocked, removed]) {
			expect(await mayMailUpdates(ctx.db, email)).toBe(false);
			expect(await mailTo(ctx.db, email)).toHaveLength(0);
		}

		// The same file again, and twice at the same moment: nothing new, no second welcome.
		const again = await Promise.all([
			importSubscribers(ctx.db, SITE, actor, { csv, topics: ['announcements'] }, options),
			importSubscribers(ctx.db, SITE, actor, { csv, topics: ['announcements'] }, options)
		]);
		for (const result of again) {
			expect(result.ok && result.report.imported).toBe(0);
			expect(result.ok && result.report.skipped.at(-1)).toEqual({
				line: 5,
				email: fresh,
				reason: 'Already subscribed: left as it is.'
			});
		}
		expect(await mailTo(ctx.db, fresh)).toHaveLength(1);
		const topics = await ctx.db
			.selectFrom('update_subscriber_topic as t')
			.innerJoin('update_subscriber as s', 's.id', 't.subscriber_id')
			.select('t.topic')
			.where('s.email', '=', fresh)
			.execute();
		expect(topics.map((t) => t.topic)).toEqual(['events']);
	});

	it('refuses a file it cannot read as a whole, and imports nothing from it', async () => {
		const actor = await admin();
		const before = await subscriberCounts(ctx.db, actor);
		const cases: Array<[string, RegExp]> = [
			['', /The list is empty/],
			['address,date\nx@example.test,2026-01-01', /must name the columns: email,agreed_on,how/],
			[`email,agreed_on,how\n${address()},2026-01-01,"form\n`, /opens on line 2 and never closes/],
			[
				'email,agreed_on,how\n' +
					Array.from(
						{ length: IMPORT_MAX_ROWS + 1 },
						(_, i) => `p${i}@example.test,2026-01-01,form`
					).join('\n'),
				/The list has 5,001 rows\. We import up to 5,000 at once/
			]
		];
		for (const [csv, message] of cases) {
			const result = await importSubscribers(
				ctx.db,
				SITE,
				actor,
				{ csv, topics: ['events'] },
				options
			);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.errors.csv).toMatch(message);
		}
		const noTopics = await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv: `email,agreed_on,how\n${address()},2026-01-01,form`, topics: [] },
			options
		);
		expect(noTopics).toEqual({
			ok: false,
			errors: { topics: 'Choose at least one topic for the people you import.' }
		});
		const unknown = await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv: `email,agreed_on,how\n${address()},2026-01-01,form`, topics: ['nope'] },
			options
		);
		expect(unknown.ok).toBe(false);
		expect(await subscriberCounts(ctx.db, actor)).toEqual(before);
	});

	it('exports every subscriber page by page, with a BOM and formulas defused', async () => {
		const actor = await admin();
		const plus = address();
		const csv = [
			'email,agreed_on,how',
			`${plus},2026-02-01,"=HYPERLINK(""http://evil"")"`,
			`${address()},2026-02-02,"@SUM(1), by hand"`
		].join('\n');
		const imported = await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv, topics: ['events'] },
			options
		);
		expect(imported.ok && imported.report.imported).toBe(2);
		const blocked = address();
		await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv: `email,agreed_on,how\n${blocked},2026-01-01,form`, topics: ['events'] },
			options
		);
		await blockAddressAsAdministrator(ctx.db, actor, blocked);

		const text = await readAll(await exportSubscribersCsv(ctx.db, actor, 2));
		expect(text.startsWith('\uFEFFemail,status,topics,agreed_on,how,created\r\n')).toBe(true);
		const parsed = parseCsv(text);
		if (!parsed.ok) throw new Error(parsed.message);
		const rows = parsed.records.map((r) => r.cells);
		const total = await ctx.db
			.selectFrom('update_subscriber')
			.select((eb) => eb.fn.countAll<string | number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(rows).toHaveLength(Number(total.n) + 1);
		expect(rows.find((r) => r[0] === plus)).toEqual([
			plus,
			'subscribed',
			'events',
			'2026-02-01',
			`'=HYPERLINK("http://evil")`,
			expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)
		]);
		expect(rows.find((r) => r[4]?.includes('SUM'))?.[4]).toBe("'@SUM(1), by hand");
		expect(rows.find((r) => r[0] === blocked)?.slice(1, 3)).toEqual(['blocked', '']);
		for (const row of rows.slice(1)) expect(row[0]).not.toMatch(/^[=+\-@]/);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('detail')
			.where('action', '=', 'updates.exported')
			.where('actor_id', '=', actor.id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(audit.detail!)).toEqual({ rows: Number(total.n) });
	});

	it('blocks an address for good and counts each kind', async () => {
		const actor = await admin();
		const email = address();
		await importSubscribers(
			ctx.db,
			SITE,
			actor,
			{ csv: `email,agreed_on,how\n${email},2026-01-01,form`, topics: ['events'] },
			options
		);
		const before = await subscriberCounts(ctx.db, actor);
		await blockAddressAsAdministrator(ctx.db, actor, ` ${email.toUpperCase()} `);
		await blockAddressAsAdministrator(ctx.db, actor, address('never-subscribed'));
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);
		const after = await subscriberCounts(ctx.db, actor);
		expect(after).toEqual({
			...before,
			subscribed: before.subscribed - 1,
			blocked: before.blocked + 2
		});
		const suppression = await ctx.db
			.selectFrom('update_suppression')
			.select('reason')
			.where('email_hash', '=', hashAddress(email))
			.executeTakeFirstOrThrow();
		expect(suppression.reason).toBe('blocked');
		const audits = await ctx.db
			.selectFrom('audit_log')
			.select('detail')
			.where('action', '=', 'updates.address_blocked')
			.where('actor_id', '=', actor.id)
			.execute();
		expect(audits.map((a) => JSON.parse(a.detail!))).toEqual(
			expect.arrayContaining([{ subscribers: 1 }, { subscribers: 0 }])
		);
	});

	it('refuses curators, members and visitors', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const member = await createTestUser(ctx.db);
		const csv = `email,agreed_on,how\n${address()},2026-01-01,form`;
		for (const actor of [curator, member, null]) {
			await expect(
				importSubscribers(ctx.db, SITE, actor, { csv, topics: ['events'] }, options)
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(exportSubscribersCsv(ctx.db, actor)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(blockAddressAsAdministrator(ctx.db, actor, address())).rejects.toBeInstanceOf(
				ForbiddenError
			);
			await expect(subscriberCounts(ctx.db, actor)).rejects.toBeInstanceOf(ForbiddenError);
		}
		// The command line is trusted, as elsewhere.
		await expect(subscriberCounts(ctx.db, SYSTEM_ACTOR)).resolves.toBeTruthy();
	});
});
