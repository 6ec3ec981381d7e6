import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { DataSubject, PersonalDataRegistration } from '../your-data.types';

// The mail outbox keeps a record of every email we sent (to whom, what kind, its subject, when)
// but not its text once it is sent. Mail to the person is found by their account and by their
// current address (mail sent before they had an account, e.g. an invitation).

function mailFor(db: Kysely<DB> | Transaction<DB>, person: DataSubject) {
	return db
		.selectFrom('mail_outbox')
		.where((eb) => eb.or([eb('user_id', '=', person.id), eb('to_address', '=', person.email)]));
}

export const mailOutbox: PersonalDataRegistration = {
	feature: 'mail',
	table: 'mail_outbox',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Our copies of the emails we sent you are deleted, and unsent ones are not sent.',
	exportAs: 'emailsSentToYou',
	async export(db, person) {
		// Never the text of waiting mail either: it carries sign-in and reset links, secrets while
		// they last.
		const rows = await mailFor(db, person)
			.select(['to_address', 'subject', 'kind', 'status', 'created_at', 'sent_at'])
			.orderBy('created_at')
			.execute();
		return {
			whatWeKeep:
				'For each email we sent you: the address, what kind of email it was, its subject and when. We do not keep the text of an email once it is sent. Records of sent emails are deleted after 30 days.',
			emails: rows.map((r) => ({
				to: r.to_address,
				subject: r.subject,
				kind: r.kind,
				status: r.status,
				createdAt: r.created_at,
				sentAt: r.sent_at
			}))
		};
	},
	async erase(trx, { person }) {
		const ids = (await mailFor(trx, person).select('id').execute()).map((r) => r.id);
		if (!ids.length) return 0;
		const result = await trx.deleteFrom('mail_outbox').where('id', 'in', ids).executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};
