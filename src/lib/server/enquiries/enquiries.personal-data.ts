import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { nowIso } from '../ids';
import { refreshSearchDocument } from '../search/search.repository';
import { ENQUIRY_SEARCH } from './enquiries.search';
import { deleteRawRows } from './report.repository';

// Enquiries (core): what people said belongs to the enquiry and its team, not to the team member
// who wrote it down. Deleting an account takes the person off every team (handing the lead to the
// longest-serving remaining member when they were the last lead) and unsets their name on what
// they recorded: interviews, participants and consent records stay with the team. Their
// transcripts are in "download my data", because they wrote them.

export const enquiryMember: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_member',
	personColumns: ['user_id', 'added_by'],
	kind: 'personal',
	onDelete:
		'You leave every enquiry team you are on. If you were the last lead, the longest-serving person left on the team becomes its lead. If nobody else is on the team, the enquiry is deleted with everything people said in it; a published report stays, without the interviews behind it.',
	exportAs: 'enquiryTeamsYouAreOn',
	async export(db, person) {
		const rows = await db
			.selectFrom('enquiry_member as m')
			.innerJoin('enquiry as e', 'e.id', 'm.enquiry_id')
			.select(['e.id', 'e.title', 'e.stage', 'm.role', 'm.added_at'])
			.where('m.user_id', '=', person.id)
			.orderBy('m.added_at')
			.execute();
		return rows.map(({ id, ...r }) => ({ ...r, address: `/enquiries/${id}` }));
	},
	async erase(trx, { person }) {
		const memberships = await trx
			.selectFrom('enquiry_member')
			.select(['enquiry_id', 'role'])
			.where('user_id', '=', person.id)
			.execute();
		for (const m of memberships) {
			if (m.role !== 'lead') continue;
			const otherLead = await trx
				.selectFrom('enquiry_member')
				.select('user_id')
				.where('enquiry_id', '=', m.enquiry_id)
				.where('role', '=', 'lead')
				.where('user_id', '!=', person.id)
				.executeTakeFirst();
			if (otherLead) continue;
			const next = await trx
				.selectFrom('enquiry_member')
				.select('user_id')
				.where('enquiry_id', '=', m.enquiry_id)
				.where('user_id', '!=', person.id)
				.orderBy('added_at', 'asc')
				.orderBy('user_id', 'asc')
				.executeTakeFirst();
			if (next) {
				await trx
					.updateTable('enquiry_member')
					.set({ role: 'lead' })
					.where('enquiry_id', '=', m.enquiry_id)
					.where('user_id', '=', next.user_id)
					.execute();
				continue;
			}
			// Nobody is left to look after what people said: it must not stay where no one can
			// reach it. A published report stays without its raw material; anything else goes.
			const orphan = await trx
				.selectFrom('enquiry')
				.select('stage')
				.where('id', '=', m.enquiry_id)
				.executeTakeFirstOrThrow();
			if (orphan.stage === 'published') {
				await deleteRawRows(trx, m.enquiry_id);
				await trx
					.updateTable('enquiry')
					.set({ raw_deleted_at: nowIso() })
					.where('id', '=', m.enquiry_id)
					.where('raw_deleted_at', 'is', null)
					.execute();
			} else {
				await trx.deleteFrom('enquiry').where('id', '=', m.enquiry_id).execute();
				await refreshSearchDocument(trx, ENQUIRY_SEARCH, m.enquiry_id);
			}
		}
		await trx.deleteFrom('enquiry_member').where('user_id', '=', person.id).execute();
		await trx
			.updateTable('enquiry_member')
			.set({ added_by: null })
			.where('added_by', '=', person.id)
			.execute();
		return memberships.length;
	}
};

export const enquiry: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete:
		'Enquiries you started stay with their teams, without your name as the one who started them.',
	exportAs: 'enquiriesYouStarted',
	async export(db, person) {
		const rows = await db
			.selectFrom('enquiry')
			.select([
				'id',
				'title',
				'questions',
				'purpose',
				'method',
				'consent_text',
				'stage',
				'created_at'
			])
			.where('created_by', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map(({ id, ...r }) => ({ ...r, address: `/enquiries/${id}` }));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryInvitation: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_invitation',
	personColumns: ['invited_by', 'accepted_by'],
	kind: 'personal',
	onDelete:
		'Invitations sent to your address are deleted; invitations you sent stay with the team without your name.',
	exportAs: 'enquiryInvitationsYouSent',
	async export(db, person) {
		return db
			.selectFrom('enquiry_invitation as i')
			.innerJoin('enquiry as e', 'e.id', 'i.enquiry_id')
			.select([
				'e.title as enquiry_title',
				'i.email',
				'i.role',
				'i.created_at',
				'i.expires_at',
				'i.accepted_at',
				'i.cancelled_at'
			])
			.where('i.invited_by', '=', person.id)
			.orderBy('i.created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const removed = await trx
			.deleteFrom('enquiry_invitation')
			.where((eb) => eb.or([eb('email', '=', person.email), eb('accepted_by', '=', person.id)]))
			.executeTakeFirst();
		const unset = await trx
			.updateTable('enquiry_invitation')
			.set({ invited_by: null })
			.where('invited_by', '=', person.id)
			.executeTakeFirst();
		return Number(removed.numDeletedRows) + Number(unset.numUpdatedRows);
	}
};

export const enquiryParticipant: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_participant',
	personColumns: ['consent_recorded_by', 'created_by'],
	kind: 'personal',
	onDelete: 'Participants you recorded stay with the team, without your name as who recorded them.',
	exportAs: 'enquiryParticipantsYouRecorded',
	async export(db, person) {
		return db
			.selectFrom('enquiry_participant as p')
			.innerJoin('enquiry as e', 'e.id', 'p.enquiry_id')
			.select([
				'e.title as enquiry_title',
				'p.label',
				'p.perspective',
				'p.consent_take_part',
				'p.consent_quote',
				'p.withdrawn_at',
				'p.created_at'
			])
			.where((eb) =>
				eb.or([eb('p.created_by', '=', person.id), eb('p.consent_recorded_by', '=', person.id)])
			)
			.orderBy('p.created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const a = await trx
			.updateTable('enquiry_participant')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		const b = await trx
			.updateTable('enquiry_participant')
			.set({ consent_recorded_by: null })
			.where('consent_recorded_by', '=', person.id)
			.executeTakeFirst();
		return Number(a.numUpdatedRows) + Number(b.numUpdatedRows);
	}
};

export const enquiryConsentChange: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_consent_change',
	personColumns: ['recorded_by'],
	kind: 'personal',
	onDelete: 'Consent you recorded stays in each participant’s history, without your name.',
	exportAs: 'enquiryConsentYouRecorded',
	async export(db, person) {
		return db
			.selectFrom('enquiry_consent_change as c')
			.innerJoin('enquiry_participant as p', 'p.id', 'c.participant_id')
			.innerJoin('enquiry as e', 'e.id', 'p.enquiry_id')
			.select([
				'e.title as enquiry_title',
				'p.label as participant',
				'c.take_part',
				'c.quote',
				'c.withdrawn',
				'c.note',
				'c.recorded_at'
			])
			.where('c.recorded_by', '=', person.id)
			.orderBy('c.recorded_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('enquiry_consent_change')
			.set({ recorded_by: null })
			.where('recorded_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const enquiryInterview: PersonalDataRegistration = {
	feature: 'enquiries',
	table: 'enquiry_interview',
	personColumns: ['interviewer_id', 'created_by'],
	kind: 'personal',
	onDelete:
		'Interviews you recorded or held stay with the enquiry’s team, without your name. Download your data first if you want a copy of the transcripts you wrote.',
	exportAs: 'enquiryInterviewsYouWrote',
	async export(db, person) {
		return db
			.selectFrom('enquiry_interview as i')
			.innerJoin('enquiry as e', 'e.id', 'i.enquiry_id')
			.innerJoin('enquiry_participant as p', 'p.id', 'i.participant_id')
			.select([
				'e.title as enquiry_title',
				'p.label as participant',
				'i.title',
				'i.held_on',
				'i.kind',
				'i.source_name',
				'i.body',
				'i.created_at'
			])
			.where('i.created_by', '=', person.id)
			.orderBy('i.created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const a = await trx
			.updateTable('enquiry_interview')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		const b = await trx
			.updateTable('enquiry_interview')
			.set({ interviewer_id: null })
			.where('interviewer_id', '=', person.id)
			.executeTakeFirst();
		return Number(a.numUpdatedRows) + Number(b.numUpdatedRows);
	}
};

/** In the order they run: memberships first, so a new lead is chosen before anything else. */
export const ENQUIRIES_CORE_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	enquiryMember,
	enquiryInvitation,
	enquiryConsentChange,
	enquiryParticipant,
	enquiryInterview,
	enquiry
];
