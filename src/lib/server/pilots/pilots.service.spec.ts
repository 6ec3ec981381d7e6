import { describe, expect, it } from 'vitest';
import { parseForm, toFormData, type FormValues } from '../forms';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { createOrganisation } from '../organisations/organisations.service';
import { seedDemo } from '../demo/demo';
import { seedPilots } from './pilots.demo';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { ENTRY_PART_MAX, PILOT_SUMMARY_MAX, entrySchema, pilotSchema } from './pilots.schema';
import {
	ENTRY_RATE,
	addEntry,
	addTeamMember,
	editEntry,
	followPilot,
	learnedFromEntries,
	listPilots,
	pilotForCaseStudy,
	pilotSlugBase,
	removeTeamMember,
	startPilot,
	turnPilotIntoCaseStudy,
	unfollowPilot,
	updatePilot,
	viewPilot,
	viewTeam,
	type StartCaseStudyFromPilot
} from './pilots.service';
import {
	CARERS_AREA,
	MENTAL_HEALTH_AREA,
	emailAtOnce,
	entryValues,
	pilotValues
} from './pilots.testing';

const SITE = { timeZone: 'Europe/London', now: '2026-12-01T10:00:00.000Z' };

describe('pilot forms', () => {
	const parse = (schema: typeof pilotSchema | typeof entrySchema, values: FormValues) =>
		parseForm(schema, toFormData(values), { listFields: ['serviceAreas'] });

	it('say what is wrong with a pilot, keeping what was typed', () => {
		const long = 'x'.repeat(PILOT_SUMMARY_MAX + 1);
		const result = parse(pilotSchema, { title: '', summary: long, visibility: 'everyone' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual({
			title: 'Enter a title for the pilot',
			summary: expect.stringContaining('10,000 characters or fewer'),
			serviceAreas: 'Choose at least one service area',
			visibility: 'Choose who can read the pilot'
		});
		expect(result.values.summary).toBe(long);
	});

	it('refuse an empty entry, an oversized part and a date that is not real', () => {
		const empty = parse(entrySchema, { date: '2026-11-20', tried: ' ', happened: '' });
		expect(!empty.ok && empty.errors.tried).toMatch(/^Write at least one part/);
		const big = parse(entrySchema, { date: '2026-11-20', learned: 'y'.repeat(ENTRY_PART_MAX + 1) });
		expect(!big.ok && big.errors.learned).toMatch(/5,000 characters or fewer/);
		const bad = parse(entrySchema, { date: '2026-02-30', tried: 'Something' });
		expect(!bad.ok && bad.errors.date).toBe('Enter a real date, like 2026-12-03');
		const fine = parse(entrySchema, { date: '2026-11-20', nextChange: 'Start earlier' });
		expect(fine.ok).toBe(true);
	});

	it('make addresses from titles, never "new"', () => {
		expect(pilotSlugBase('Café & chat: evenings!')).toBe('cafe-and-chat-evenings');
		expect(pilotSlugBase('New')).toBe('pilot-new');
		expect(pilotSlugBase('???')).toBe('pilot-untitled');
	});
});

describeEachDatabase('pilots', (ctx) => {
	async function people() {
		const owner = await createTestUser(ctx.db, { name: 'Olu Owner' });
		const member = await createTestUser(ctx.db, { name: 'Mel Member' });
		const stranger = await createTestUser(ctx.db, { name: 'Sid Stranger' });
		return { owner, member, stranger };
	}

	async function start(
		owner: Awaited<ReturnType<typeof createTestUser>>,
		overrides: Parameters<typeof pilotValues>[0] = {}
	) {
		const result = await startPilot(ctx.db, owner, pilotValues(overrides));
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		return result.slug;
	}

	it('shows each pilot only to those it is for, in the list and on its page', async () => {
		const { owner, member, stranger } = await people();
		const open = await start(owner, { title: 'Open pilot' });
		const members = await start(owner, { title: 'Members pilot', visibility: 'members' });
		const team = await start(owner, { title: 'Secret team pilot', visibility: 'team' });
		expect(await addTeamMember(ctx.db, owner, team, member.email)).toMatchObject({ ok: true });

		const titles = async (viewer: typeof owner | null) =>
			(await listPilots(ctx.db, viewer, {}, 1)).pilots.map((p) => p.title).sort();
		expect(await titles(null)).toEqual(['Open pilot']);
		expect(await titles(stranger)).toEqual(['Members pilot', 'Open pilot']);
		expect(await titles(member)).toEqual(['Members pilot', 'Open pilot', 'Secret team pilot']);
		expect(await titles(owner)).toEqual(['Members pilot', 'Open pilot', 'Secret team pilot']);

		// Reading without the right finds nothing, so the title never shows.
		expect(await viewPilot(ctx.db, null, members)).toBeUndefined();
		expect(await viewPilot(ctx.db, stranger, team)).toBeUndefined();
		expect(await viewPilot(ctx.db, null, open)).toBeDefined();
		const log = await viewPilot(ctx.db, member, team);
		expect(log?.pilot.title).toBe('Secret team pilot');
		expect(log?.viewer).toMatchObject({ role: 'member', canWrite: true, canManage: false });
	});

	it('filters by service area and status; an unknown area says so', async () => {
		const { owner } = await people();
		await start(owner, { title: 'Carers one' });
		const mind = await start(owner, { title: 'Mind one', serviceAreas: [MENTAL_HEALTH_AREA] });
		await updatePilot(ctx.db, owner, mind, {
			...pilotValues({ title: 'Mind one', serviceAreas: [MENTAL_HEALTH_AREA] }),
			status: 'finished'
		});
		const by = async (query: Parameters<typeof listPilots>[2]) =>
			(await listPilots(ctx.db, owner, query, 1)).pilots
				.map((p) => p.title)
				.filter((t) => t.endsWith(' one'));
		expect(await by({ area: 'mental-health' })).toEqual(['Mind one']);
		expect(await by({ status: 'running' })).toEqual(['Carers one']);
		expect(await by({ area: 'carers-and-unpaid-care', status: 'finished' })).toEqual([]);
		const unknown = await listPilots(ctx.db, owner, { area: 'no-such-area' }, 1);
		expect(unknown.unknownArea).toBe(true);
		expect(unknown.pilots).toEqual([]);
	});

	it('refuses an unknown service area and an organisation the person is not in', async () => {
		const { owner, stranger } = await people();
		const organisation = await createOrganisation(ctx.db, stranger, {
			name: 'Not yours',
			description: '',
			website: ''
		});
		const orgId = organisation.ok ? organisation.organisation.id : 'none';
		const result = await startPilot(
			ctx.db,
			owner,
			pilotValues({ serviceAreas: ['service-area:not-a-thing'], organisationId: orgId })
		);
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				serviceAreas: expect.stringContaining('not on the list'),
				organisationId: expect.stringContaining('organisation you belong to')
			}
		});
		await expect(startPilot(ctx.db, null, pilotValues())).rejects.toThrow(ForbiddenError);
	});

	it('lets the team add and edit entries, newest first; others are refused', async () => {
		const { owner, member, stranger } = await people();
		const slug = await start(owner);
		await addTeamMember(ctx.db, owner, slug, member.email);
		const first = await addEntry(ctx.db, owner, slug, entryValues({ date: '2026-11-01' }), SITE);
		const second = await addEntry(
			ctx.db,
			member,
			slug,
			entryValues({ date: '2026-11-15', tried: 'Tea and <script>x</script>' }),
			SITE
		);
		expect([first, second]).toMatchObject([{ ok: true }, { ok: true }]);
		const log = await viewPilot(ctx.db, null, slug);
		expect(log?.entries.map((e) => e.date)).toEqual(['2026-11-15', '2026-11-01']);
		expect(log?.entries[0]!.author).toBe('Mel Member');
		expect(log?.entries[0]!.parts[0]!.html).not.toContain('<script');

		// Someone else's pilot: refused, whether they can read it or not.
		await expect(addEntry(ctx.db, stranger, slug, entryValues(), SITE)).rejects.toThrow(
			ForbiddenError
		);
		const secret = await start(owner, { title: 'Secret', visibility: 'team' });
		expect(await addEntry(ctx.db, stranger, secret, entryValues(), SITE)).toEqual({
			ok: false,
			reason: 'not-found'
		});
		// A date in the future is refused beside its field.
		expect(await addEntry(ctx.db, owner, slug, entryValues({ date: '2027-06-01' }), SITE)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { date: expect.stringContaining('future') }
		});

		const id = first.ok ? first.id : '';
		expect(
			await editEntry(
				ctx.db,
				member,
				slug,
				id,
				entryValues({ date: '2026-11-01', learned: 'Corrected' }),
				SITE
			)
		).toEqual({ ok: true });
		await expect(editEntry(ctx.db, stranger, slug, id, entryValues(), SITE)).rejects.toThrow(
			ForbiddenError
		);
		const edited = await viewPilot(ctx.db, owner, slug);
		expect(edited?.entries[1]!.edited).toBe(true);
	});

	it('limits how many entries one person posts in an hour', async () => {
		const { owner } = await people();
		const slug = await start(owner);
		for (let i = 0; i < ENTRY_RATE.limit; i++)
			expect((await addEntry(ctx.db, owner, slug, entryValues(), SITE)).ok).toBe(true);
		const refused = await addEntry(ctx.db, owner, slug, entryValues(), SITE);
		expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
	});

	it('tells followers of each new entry, in the site and by email', async () => {
		const { owner, member, stranger } = await people();
		const slug = await start(owner);
		await emailAtOnce(ctx.db, stranger.id);
		expect(await followPilot(ctx.db, stranger, slug)).toEqual({ ok: true });
		expect(await followPilot(ctx.db, stranger, slug)).toEqual({ ok: true });
		await followPilot(ctx.db, owner, slug);
		const added = await addEntry(ctx.db, owner, slug, entryValues(), SITE);
		// The owner wrote it, so is not told; the follower is, once.
		expect(added).toMatchObject({ ok: true, told: 1 });
		const rows = await ctx.db
			.selectFrom('notification')
			.select(['recipient_id', 'kind', 'title', 'url'])
			.where('kind', '=', 'pilot-entry')
			.execute();
		expect(rows).toEqual([
			{
				recipient_id: stranger.id,
				kind: 'pilot-entry',
				title: 'Olu Owner added an entry to the pilot “Evening drop-in for carers”',
				url: expect.stringMatching(new RegExp(`^/pilots/${slug}#entry-`))
			}
		]);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select('subject')
			.where('to_address', '=', stranger.email)
			.execute();
		expect(mail).toHaveLength(1);
		expect(mail[0]!.subject).toContain('added an entry');

		await unfollowPilot(ctx.db, stranger, slug);
		expect(
			await addEntry(ctx.db, owner, slug, entryValues({ tried: 'Again' }), SITE)
		).toMatchObject({ ok: true, told: 0 });
		void member;
	});

	it('refuses following a pilot one cannot read, and stops telling those who can no longer read it', async () => {
		const { owner, member, stranger } = await people();
		const secret = await start(owner, { title: 'Secret', visibility: 'team' });
		expect(await followPilot(ctx.db, stranger, secret)).toEqual({
			ok: false,
			reason: 'not-found'
		});
		await expect(followPilot(ctx.db, null, secret)).rejects.toThrow(ForbiddenError);

		const slug = await start(owner, { title: 'Narrowing' });
		await addTeamMember(ctx.db, owner, slug, member.email);
		await followPilot(ctx.db, stranger, slug);
		await followPilot(ctx.db, member, slug);
		const narrowed = await updatePilot(ctx.db, owner, slug, {
			...pilotValues({ title: 'Narrowing', visibility: 'team' }),
			status: 'running'
		});
		expect(narrowed).toMatchObject({ ok: true, droppedFollowers: 1 });
		const added = await addEntry(ctx.db, owner, slug, entryValues(), SITE);
		expect(added).toMatchObject({ ok: true, told: 1 });
		const told = await ctx.db
			.selectFrom('notification')
			.select('recipient_id')
			.where('kind', '=', 'pilot-entry')
			.where('url', 'like', `/pilots/${slug}#%`)
			.execute();
		expect(told.map((t) => t.recipient_id)).toEqual([member.id]);

		// A member removed from a team-only pilot stops following it too.
		await removeTeamMember(ctx.db, owner, slug, member.id);
		expect(
			await addEntry(ctx.db, owner, slug, entryValues({ tried: 'Later' }), SITE)
		).toMatchObject({ ok: true, told: 0 });
		expect(await viewPilot(ctx.db, member, slug)).toBeUndefined();
	});

	it('lets only the owner manage the team and the pilot; members may leave', async () => {
		const { owner, member, stranger } = await people();
		const slug = await start(owner);
		expect(await addTeamMember(ctx.db, owner, slug, 'nobody@example.test')).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { email: expect.stringContaining('Nobody has an account') }
		});
		expect(await addTeamMember(ctx.db, owner, slug, member.email.toUpperCase())).toEqual({
			ok: true,
			name: 'Mel Member'
		});
		await expect(addTeamMember(ctx.db, member, slug, stranger.email)).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			updatePilot(ctx.db, member, slug, { ...pilotValues(), status: 'running' })
		).rejects.toThrow(ForbiddenError);
		await expect(removeTeamMember(ctx.db, stranger, slug, member.id)).rejects.toThrow(
			ForbiddenError
		);
		await expect(viewTeam(ctx.db, stranger, slug)).rejects.toThrow(ForbiddenError);
		const team = await viewTeam(ctx.db, member, slug);
		expect(team?.members.map((m) => m.name)).toEqual(['Mel Member']);
		expect(team?.canManage).toBe(false);
		expect(await removeTeamMember(ctx.db, member, slug, member.id)).toEqual({
			ok: true,
			left: true
		});
		expect((await viewTeam(ctx.db, owner, slug))?.members).toEqual([]);
	});

	it('turns a finished pilot into a case study once, keeping the link both ways', async () => {
		const { owner, member } = await people();
		const slug = await start(owner);
		await addTeamMember(ctx.db, owner, slug, member.email);
		await addEntry(
			ctx.db,
			owner,
			slug,
			entryValues({ date: '2026-11-01', learned: 'First' }),
			SITE
		);
		await addEntry(
			ctx.db,
			owner,
			slug,
			entryValues({ date: '2026-11-10', learned: 'Second' }),
			SITE
		);
		const calls: Parameters<StartCaseStudyFromPilot>[2][] = [];
		const fake: StartCaseStudyFromPilot = async (_db, _actor, pilot) => {
			calls.push(pilot);
			return { id: 'case-1', slug: 'evening-drop-in-for-carers' };
		};
		expect(await turnPilotIntoCaseStudy(ctx.db, owner, slug, fake)).toEqual({
			ok: false,
			reason: 'not-finished'
		});
		await updatePilot(ctx.db, owner, slug, { ...pilotValues(), status: 'finished' });
		await expect(turnPilotIntoCaseStudy(ctx.db, member, slug, fake)).rejects.toThrow(
			ForbiddenError
		);
		expect(await turnPilotIntoCaseStudy(ctx.db, owner, slug, fake)).toEqual({
			ok: true,
			caseStudy: { id: 'case-1', slug: 'evening-drop-in-for-carers' }
		});
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			title: 'Evening drop-in for carers',
			serviceAreaIds: [CARERS_AREA],
			organisationId: null
		});
		expect(calls[0]!.summary).not.toContain('**');
		// Oldest first, as the case study tells the story.
		expect(calls[0]!.whatWasLearned.indexOf('First')).toBeLessThan(
			calls[0]!.whatWasLearned.indexOf('Second')
		);
		expect(await turnPilotIntoCaseStudy(ctx.db, owner, slug, fake)).toEqual({
			ok: false,
			reason: 'already'
		});
		expect(await pilotForCaseStudy(ctx.db, 'case-1')).toEqual({
			slug,
			title: 'Evening drop-in for carers',
			visibility: 'public'
		});

		// A failure on the case studies' side leaves the pilot free to try again.
		const other = await start(owner, { title: 'Other' });
		await updatePilot(ctx.db, owner, other, {
			...pilotValues({ title: 'Other' }),
			status: 'finished'
		});
		const broken: StartCaseStudyFromPilot = async () => {
			throw new Error('down');
		};
		await expect(turnPilotIntoCaseStudy(ctx.db, owner, other, broken)).rejects.toThrow('down');
		expect((await viewPilot(ctx.db, owner, other))?.viewer.canStartCaseStudy).toBe(true);
	});

	it('starts a real draft case study, linked for its author and not yet for visitors', async () => {
		const { owner } = await people();
		const slug = await start(owner, { title: 'Real case study pilot' });
		await addEntry(ctx.db, owner, slug, entryValues({ learned: 'Evenings work' }), SITE);
		await updatePilot(ctx.db, owner, slug, {
			...pilotValues({ title: 'Real case study pilot' }),
			status: 'finished'
		});
		const started = await turnPilotIntoCaseStudy(ctx.db, owner, slug);
		expect(started.ok).toBe(true);
		if (!started.ok) return;
		expect(await pilotForCaseStudy(ctx.db, started.caseStudy.id)).toMatchObject({ slug });
		const mine = await viewPilot(ctx.db, owner, slug);
		expect(mine?.pilot.caseStudy).toEqual({ slug: started.caseStudy.slug, published: false });
		expect(mine?.viewer.canStartCaseStudy).toBe(false);
		// A draft: visitors see no link to a page they could not open.
		expect((await viewPilot(ctx.db, null, slug))?.pilot.caseStudy).toBeNull();
	});

	it('puts what was learned together from entries that have it', () => {
		expect(
			learnedFromEntries([
				{ entry_date: '2026-11-01', learned: 'A', next_change: '' },
				{ entry_date: '2026-11-02', learned: '', next_change: '' },
				{ entry_date: '2026-11-03', learned: '', next_change: 'B' }
			])
		).toBe('**1 November 2026**\n\nA\n\n**3 November 2026**\n\nNext we would change: B');
	});

	describe('personal data', () => {
		it('exports pilots, entries, teams and follows', async () => {
			const { owner, member, stranger } = await people();
			const slug = await start(owner);
			await addTeamMember(ctx.db, owner, slug, member.email);
			await addEntry(ctx.db, member, slug, entryValues(), SITE);
			await followPilot(ctx.db, stranger, slug);
			const own = await exportPersonData(ctx.db, owner.id);
			expect(own?.pilotsYouOwn).toEqual([
				expect.objectContaining({ slug, serviceAreas: ['Carers and unpaid care'] })
			]);
			const theirs = await exportPersonData(ctx.db, member.id);
			expect(theirs?.pilotEntriesYouWrote).toHaveLength(1);
			expect(theirs?.pilotTeamsYouAreOn).toEqual([
				expect.objectContaining({ address: `/pilots/${slug}` })
			]);
			expect((await exportPersonData(ctx.db, stranger.id))?.pilotsYouFollow).toHaveLength(1);
		});

		it('hands a pilot to the longest-standing team member when its owner leaves', async () => {
			const { owner, member, stranger } = await people();
			const slug = await start(owner);
			// Added a minute apart, so who has been on the team longest is clear.
			await addTeamMember(ctx.db, owner, slug, member.email, '2026-11-01T10:00:00.000Z');
			await addTeamMember(ctx.db, owner, slug, stranger.email, '2026-11-01T10:01:00.000Z');
			await addEntry(ctx.db, owner, slug, entryValues(), SITE);
			await deleteAccount(ctx.db, owner.id, { contributions: 'keep-as-former-member' });
			const team = await viewTeam(ctx.db, member, slug);
			expect(team?.owner?.name).toBe('Mel Member');
			expect(team?.members.map((m) => m.name)).toEqual(['Sid Stranger']);
			const log = await viewPilot(ctx.db, member, slug);
			expect(log?.entries[0]!.author).toBe('A former member');
			const mail = await ctx.db
				.selectFrom('mail_outbox')
				.select('kind')
				.where('to_address', '=', member.email)
				.execute();
			expect(mail.map((m) => m.kind)).toContain('pilots.owner-handed-over');
		});

		it('removes a pilot nobody else is on, or keeps it without a name, as chosen', async () => {
			const { owner, member } = await people();
			const kept = await start(owner, { title: 'Kept' });
			const secret = await start(owner, { title: 'Secret', visibility: 'team' });
			await followPilot(ctx.db, member, kept);
			await deleteAccount(ctx.db, owner.id, { contributions: 'keep-as-former-member' });
			const log = await viewPilot(ctx.db, member, kept);
			expect(log?.pilot.owner).toBeNull();
			expect(log?.viewer.canManage).toBe(false);
			const left = await ctx.db.selectFrom('pilot').select('slug').execute();
			expect(left.map((p) => p.slug)).not.toContain(secret);

			const other = await createTestUser(ctx.db, { name: 'Rae Remover' });
			const gone = await start(other, { title: 'Gone' });
			await addEntry(ctx.db, other, gone, entryValues(), SITE);
			await deleteAccount(ctx.db, other.id, { contributions: 'remove' });
			expect(await viewPilot(ctx.db, member, gone)).toBeUndefined();
			const entries = await ctx.db
				.selectFrom('pilot_entry')
				.select('id')
				.where('author_id', '=', other.id)
				.execute();
			expect(entries).toHaveLength(0);
			expect(
				await ctx.db.selectFrom('pilot').select('id').where('slug', '=', gone).execute()
			).toEqual([]);
		});
	});
});

describeEachDatabase('pilots demo', (ctx) => {
	it('seeds a demo pilot with several dated entries, a team and followers, once', async () => {
		await seedDemo(ctx.db);
		await seedPilots(ctx.db);
		const jo = await ctx.db
			.selectFrom('app_user')
			.select(['id', 'name', 'email', 'role'])
			.where('email', '=', 'jo@demo.colab.example')
			.executeTakeFirstOrThrow();
		const log = await viewPilot(
			ctx.db,
			{ ...jo, role: 'member', emailVerified: true },
			'evening-drop-in-for-carers'
		);
		expect(log?.entries.length).toBeGreaterThanOrEqual(3);
		expect(log?.viewer.following).toBe(true);
		expect(log?.pilot.team).toEqual(['Tom Walsh']);
		expect(log?.pilot.organisation?.name).toBeTruthy();
		const entries = await ctx.db
			.selectFrom('pilot_entry')
			.select('id')
			.where('id', 'like', 'demo-%')
			.execute();
		expect(entries).toHaveLength(6);
	});
});
