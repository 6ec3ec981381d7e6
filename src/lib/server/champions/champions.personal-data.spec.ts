import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { createTestChampion } from './champions.testing';
import { acceptRequest, askChampion, sendMessage, viewRequest } from './requests.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

describeEachDatabase('champions in "your data"', (ctx) => {
	async function exchange() {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const asker = await createTestUser(ctx.db, { name: 'Ada Asker' });
		const champion = await createTestChampion(ctx.db, curator, {
			form: { contactBy: 'phone', phone: '020 7946 0999' }
		});
		const asked = await askChampion(
			ctx.db,
			asker,
			champion.id,
			{ body: 'Help with a carers meeting', serviceArea: '' },
			SITE
		);
		if (!asked.ok) throw new Error('refused');
		await acceptRequest(ctx.db, champion.user, asked.id);
		await sendMessage(ctx.db, champion.user, asked.id, 'Glad to help, here is my plan.');
		await sendMessage(ctx.db, asker, asked.id, 'Thank you.');
		return { asker, champion, requestId: asked.id };
	}

	it('exports the champion offer, the requests asked and the messages written', async () => {
		const { asker, champion } = await exchange();
		const mine = (await exportPersonData(ctx.db, champion.user.id)) as unknown as Record<
			string,
			unknown
		>;
		expect(mine.championOffer).toMatchObject({ phone: '020 7946 0999', status: 'confirmed' });
		expect(JSON.stringify(mine.messagesOnRequests)).toContain('here is my plan');
		const theirs = (await exportPersonData(ctx.db, asker.id)) as unknown as Record<
			string,
			unknown[]
		>;
		expect(theirs.requestsYouMadeToChampions).toHaveLength(1);
		expect(JSON.stringify(theirs.requestsYouMadeToChampions)).toContain('carers meeting');
	});

	it('deleting the asker removes their requests and every message on them', async () => {
		const { asker, requestId } = await exchange();
		await deleteAccount(ctx.db, asker.id, { contributions: 'keep-as-former-member', site: SITE });
		const left = await ctx.db
			.selectFrom('champion_request_entry')
			.select('id')
			.where('request_id', '=', requestId)
			.execute();
		expect(left).toHaveLength(0);
		expect(
			await ctx.db.selectFrom('champion_request').select('id').where('id', '=', requestId).execute()
		).toHaveLength(0);
	});

	it('deleting the champion returns their request to the asker, without their words or name', async () => {
		const { asker, champion, requestId } = await exchange();
		await deleteAccount(ctx.db, champion.user.id, { contributions: 'remove', site: SITE });
		const view = await viewRequest(ctx.db, asker, requestId);
		expect(view?.status).toBe('returned');
		expect(view?.championName).toBeNull();
		expect(JSON.stringify(view)).not.toContain('here is my plan');
		expect(view?.entries.map((e) => e.kind)).toEqual([
			'asked',
			'accepted',
			'message',
			'message',
			'returned'
		]);
		expect(view?.entries[2]?.words).toContain('A former member');
		expect(
			await ctx.db.selectFrom('champion').select('id').where('id', '=', champion.id).execute()
		).toHaveLength(0);
	});
});
