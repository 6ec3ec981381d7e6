import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { caseStudyInput as input } from './case-studies.testing';
import {
	answerInvolvement,
	askInvolvement,
	myInvolvements,
	publishCaseStudy,
	saveCaseStudy,
	viewCaseStudy
} from './case-studies.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

describeEachDatabase('case studies in "your data"', (ctx) => {
	async function story(title: string) {
		const author = await createTestUser(ctx.db);
		const named = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const saved = await saveCaseStudy(ctx.db, author, input({ title }), { intent: 'submit' });
		if (!saved.ok) throw new Error('not saved');
		await publishCaseStudy(ctx.db, curator, saved.caseStudy.slug);
		await askInvolvement(ctx.db, author, saved.caseStudy.slug, {
			person: named.email,
			role: 'Co-chair'
		});
		const [row] = await myInvolvements(ctx.db, named);
		await answerInvolvement(ctx.db, named, row!.id, 'consent');
		return { author, named, curator, slug: saved.caseStudy.slug };
	}

	it('exports the case studies someone wrote (with every published version) and where they are named', async () => {
		const { author, named, slug } = await story('Exported story');
		const mine = await exportPersonData(ctx.db, author.id);
		expect(mine?.caseStudiesYouWrote).toEqual([
			expect.objectContaining({
				title: 'Exported story',
				address: `/library/${slug}`,
				publishedVersions: [expect.objectContaining({ version: 1, title: 'Exported story' })]
			})
		]);
		const theirs = await exportPersonData(ctx.db, named.id);
		expect(theirs?.caseStudiesNamingYou).toEqual([
			expect.objectContaining({ title: 'Exported story', role: 'Co-chair', state: 'consented' })
		]);
	});

	it('keeps a case study without its author’s name, or removes it, as they choose', async () => {
		const kept = await story('Kept story');
		await deleteAccount(ctx.db, kept.author.id, { contributions: 'keep-as-former-member', site: SITE });
		const page = await viewCaseStudy(ctx.db, null, kept.slug);
		expect(page?.view.title).toBe('Kept story');
		expect(page?.caseStudy.author_id).toBeNull();

		const removed = await story('Removed story');
		await deleteAccount(ctx.db, removed.author.id, { contributions: 'remove', site: SITE });
		expect(await viewCaseStudy(ctx.db, null, removed.slug)).toBeUndefined();
	});

	it('takes a named person’s name off every case study when they delete their account', async () => {
		const { named, slug } = await story('Named story');
		expect((await viewCaseStudy(ctx.db, null, slug))?.people).toHaveLength(1);
		await deleteAccount(ctx.db, named.id, { contributions: 'keep-as-former-member', site: SITE });
		expect((await viewCaseStudy(ctx.db, null, slug))?.people).toEqual([]);
	});
});
