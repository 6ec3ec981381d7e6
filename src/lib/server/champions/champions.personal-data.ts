import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { newId } from '../ids';
import { notify } from '../notifications/notifications.service';
import { insertEntry } from './champions.repository';
import { CONTACT_BY_LABELS } from './champions.schema';
import { refreshChampionSearch } from './champions.search';

// A champion's offer, the requests a person asked and the conversations on them are private
// exchanges between two people, not public writing, so deleting an account never keeps them
// as a "former member's" (kind 'personal', whatever the person chooses for their posts):
//
// - their champion offer and what they know go (the row cascades to its topics);
// - requests they asked go, with every message on them: the words were about their own needs;
// - requests they hold as a champion and have not finished go back to their askers first (the
//   asker sees "stepped down" and can ask someone else); the asker keeps their own request, and
//   the champion's messages on it are emptied and lose their name ("A former member").

export const champion: PersonalDataRegistration = {
	feature: 'champions',
	table: 'champion',
	personColumns: ['user_id', 'decided_by'],
	kind: 'personal',
	onDelete:
		'Your offer to be a champion is removed. Requests you hold and have not finished go back to the people who asked, so they can ask someone else.',
	exportAs: 'championOffer',
	async export(db, person) {
		const row = await db
			.selectFrom('champion')
			.selectAll()
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		if (!row) return null;
		const topics = await db
			.selectFrom('champion_topic')
			.select(['kind', 'value'])
			.where('champion_id', '=', row.id)
			.execute();
		return {
			id: row.id,
			status: row.status,
			helpWith: row.help_with,
			availability: {
				breakfast: !!row.available_breakfast,
				lunch: !!row.available_lunch,
				evening: !!row.available_evening,
				online: !!row.available_online
			},
			contactBy: CONTACT_BY_LABELS[row.contact_preference],
			phone: row.phone,
			curatorNote: row.decision_note,
			confirmedAt: row.confirmed_at,
			createdAt: row.created_at,
			knows: topics,
			address: `/champions/${row.id}`
		};
	},
	async erase(trx, { person }) {
		const own = await trx
			.selectFrom('champion')
			.select('id')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		let changed = 0;
		if (own) {
			const now = new Date().toISOString();
			const open = await trx
				.selectFrom('champion_request')
				.select(['id', 'asker_id'])
				.where('champion_id', '=', own.id)
				.where('status', 'in', ['open', 'accepted'])
				.execute();
			for (const { id, asker_id } of open) {
				await trx
					.updateTable('champion_request')
					.set({ status: 'returned', updated_at: now })
					.where('id', '=', id)
					.execute();
				await insertEntry(trx, { id: newId(), request_id: id, kind: 'returned', created_at: now });
				await notify(trx, {
					recipientId: asker_id,
					kind: 'champion-request',
					subjectKey: `champion-request:${id}`,
					title:
						'Your champion left CoLab, so your request came back to you. You can ask another champion.',
					url: `/champions/requests/${id}`
				});
			}
			changed += open.length;
		}
		await trx
			.updateTable('champion')
			.set({ decided_by: null })
			.where('decided_by', '=', person.id)
			.execute();
		const entries = await trx
			.selectFrom('champion')
			.select('id')
			.where('user_id', '=', person.id)
			.execute();
		const removed = await trx
			.deleteFrom('champion')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		for (const { id } of entries) await refreshChampionSearch(trx, id);
		return changed + Number(removed.numDeletedRows);
	}
};

export const championRequest: PersonalDataRegistration = {
	feature: 'champions',
	table: 'champion_request',
	personColumns: ['asker_id'],
	kind: 'personal',
	onDelete:
		'Requests you made to champions are removed, with every message on them. The champions no longer see them.',
	exportAs: 'requestsYouMadeToChampions',
	async export(db, person) {
		return db
			.selectFrom('champion_request as r')
			.leftJoin('champion as c', 'c.id', 'r.champion_id')
			.leftJoin('app_user as u', 'u.id', 'c.user_id')
			.select([
				'r.id',
				'r.body',
				'r.status',
				'r.service_area_id',
				'r.outcome',
				'r.outcome_note',
				'r.created_at',
				'r.closed_at',
				'u.name as champion_name'
			])
			.where('r.asker_id', '=', person.id)
			.orderBy('r.created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('champion_request')
			.where('asker_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const championRequestEntry: PersonalDataRegistration = {
	feature: 'champions',
	table: 'champion_request_entry',
	personColumns: ['actor_id'],
	kind: 'personal',
	onDelete:
		'Messages you wrote on requests as a champion are emptied and no longer carry your name, so the person who asked still sees the request.',
	exportAs: 'messagesOnRequests',
	async export(db, person) {
		return db
			.selectFrom('champion_request_entry')
			.select(['request_id', 'kind', 'body', 'created_at'])
			.where('actor_id', '=', person.id)
			.orderBy('created_at')
			.execute();
	},
	async erase(trx, { person }) {
		// Entries on their own requests went with the requests (cascade); these are on others'.
		const result = await trx
			.updateTable('champion_request_entry')
			.set({ actor_id: null, body: null })
			.where('actor_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

// Requests first (their entries cascade), then the person's words on others' requests, then
// their champion offer (which sends unfinished requests back to their askers).
export const CHAMPIONS_PERSONAL_DATA = [championRequest, championRequestEntry, champion] as const;
