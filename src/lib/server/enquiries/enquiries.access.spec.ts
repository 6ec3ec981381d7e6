import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { findEnquiryAccess } from './enquiries.access';
import { insertTestEnquiry, insertTestMember } from './enquiries.testing';

describeEachDatabase('who is on an enquiry team', (ctx) => {
	it('reads the enquiry with the lead, an interviewer, someone else and a visitor', async () => {
		const db = ctx.db;
		const lead = await createTestUser(db);
		const interviewer = await createTestUser(db);
		const other = await createTestUser(db);
		const id = await insertTestEnquiry(db, lead.id);
		await insertTestMember(db, id, interviewer.id, 'interviewer');

		expect((await findEnquiryAccess(db, id, lead.id))?.role).toBe('lead');
		expect((await findEnquiryAccess(db, id, interviewer.id))?.role).toBe('interviewer');
		expect((await findEnquiryAccess(db, id, other.id))?.role).toBeNull();
		const visitor = await findEnquiryAccess(db, id, null);
		expect(visitor?.role).toBeNull();
		expect(visitor?.enquiry.title).toBe('What does co-production mean here?');
		expect(await findEnquiryAccess(db, 'no-such-enquiry', lead.id)).toBeUndefined();
	});
});
