import { expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedProfiles } from './profiles.demo';
import { PROFILE_SEARCH } from './profiles.search';
import { updateProfile } from './profiles.service';

const VIEWERS: SearchViewer[] = [
	{ signedIn: false, audiences: [] },
	{ signedIn: true, audiences: [] }
];
const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

describeEachDatabase('people in search', (ctx) => {
	/** What visitors and members find: the same, with a count that agrees. */
	async function everyoneFinds(query: string, ids: string[]) {
		for (const visibleTo of VIEWERS) {
			const page = await searchDocuments(ctx.db, {
				query,
				kinds: ['profile'],
				visibleTo,
				limit: 50,
				offset: 0
			});
			expect(page.results.map((r) => r.docId)).toEqual(ids);
			expect(page.total).toBe(ids.length);
		}
	}

	async function save(person: SessionUser, input: Record<string, unknown>) {
		const result = await updateProfile(ctx.db, person, input);
		expect(result.ok).toBe(true);
	}

	it('finds a person only once they choose to show their bio or organisations', async () => {
		const sam = await createTestUser(ctx.db, { name: 'Sam Okapiperson' });
		await everyoneFinds('okapiperson', []);
		await save(sam, { name: 'Sam Okapiperson', bio: 'Carer and gannetkeeper.', show: 'pronouns' });
		// A profile that shows only a name (and pronouns) is not findable.
		await everyoneFinds('okapiperson', []);
		await everyoneFinds('gannetkeeper', []);
		await save(sam, {
			name: 'Sam Okapiperson',
			pronouns: 'they/them',
			bio: 'Carer and gannetkeeper.',
			show: ['bio', 'pronouns', 'email']
		});
		await everyoneFinds('okapiperson', [sam.id]);
		await everyoneFinds('gannetkeeper', [sam.id]);
		const doc = await ctx.db
			.selectFrom('search_document')
			.selectAll()
			.where('kind', '=', 'profile')
			.where('doc_id', '=', sam.id)
			.executeTakeFirstOrThrow();
		expect(doc).toMatchObject({ path: `/people/${sam.id}`, visibility: 'public' });
		// Never the email address, even when members may see it.
		expect(doc.body).not.toContain('@');
		expect(doc.body).toContain('they/them');
	});

	it('follows a rename and a bio hidden again', async () => {
		const ann = await createTestUser(ctx.db, { name: 'Ann Tapirname' });
		await save(ann, { name: 'Ann Tapirname', bio: 'Knits llamawool.', show: 'bio' });
		await everyoneFinds('tapirname', [ann.id]);
		await save(ann, { name: 'Ann Dugongname', bio: 'Knits llamawool.', show: 'bio' });
		await everyoneFinds('tapirname', []);
		await everyoneFinds('dugongname', [ann.id]);
		await save(ann, { name: 'Ann Dugongname', bio: 'Knits llamawool.' });
		await everyoneFinds('dugongname', []);
		await everyoneFinds('llamawool', []);
		await save(ann, { name: 'Ann Dugongname', show: 'organisations' });
		await everyoneFinds('dugongname', [ann.id]);
	});

	it('removes a person who deletes their account', async () => {
		const kim = await createTestUser(ctx.db, { name: 'Kim Pangolinname' });
		await save(kim, { name: 'Kim Pangolinname', bio: 'Hello.', show: 'bio' });
		await everyoneFinds('pangolinname', [kim.id]);
		await deleteAccount(ctx.db, kim.id, { contributions: 'keep-as-former-member', site: SITE });
		await everyoneFinds('pangolinname', []);
	});

	it('indexes the demo profiles that show something as they are seeded', async () => {
		const people = [];
		for (let i = 0; i < 4; i++) people.push(await createTestUser(ctx.db));
		await seedProfiles(ctx.db, people);
		for (const person of people) {
			const row = await PROFILE_SEARCH.loadRow(ctx.db, person.id);
			const doc = await ctx.db
				.selectFrom('search_document')
				.select('doc_id')
				.where('kind', '=', 'profile')
				.where('doc_id', '=', person.id)
				.executeTakeFirst();
			expect(!!doc).toBe(!!(row && PROFILE_SEARCH.toDocument(row)));
		}
	});

	it('rebuilds the same documents, a page at a time in id order', async () => {
		const ids: string[] = [];
		let after: string | null = null;
		for (;;) {
			const batch = await PROFILE_SEARCH.listForReindex(ctx.db, { after, limit: 2 });
			if (!batch.rows.length) break;
			expect(batch.rows.length).toBeLessThanOrEqual(2);
			for (const row of batch.rows) {
				if (PROFILE_SEARCH.toDocument(row)) ids.push(row.id);
			}
			after = batch.lastId;
		}
		expect(new Set(ids).size).toBe(ids.length);
		const indexed = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'profile')
			.execute();
		expect(ids.length).toBeGreaterThan(1);
		expect(indexed.map((r) => r.doc_id).sort()).toEqual([...ids].sort());
	});
});
