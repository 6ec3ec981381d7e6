import { recordAudit } from '../audit/audit.service';
import { enqueueMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { placeUsage } from './events.repository';
import { readConfig } from '../config';
import { deleteImages } from '../uploads/image-store';
import { imageStoreFor } from '../uploads/uploads';
import { ACCESS_NEEDS } from './events.tables';
import {
	eventSearchIdsOf,
	forgetEventSearch,
	refreshEventSearch,
	removeTalkSearch
} from './events.search';

// What events keep about a person, and what "download my data" and "delete my account" do.
// Freed places are offered to the waitlist by the events worker (see events.worker.ts).

export const eventFormat: PersonalDataRegistration = {
	feature: 'events',
	table: 'event_format',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete: 'Formats you added stay, because events use them, without your name.',
	exportAs: 'eventFormatsYouAdded',
	async export(db, person) {
		return db
			.selectFrom('event_format')
			.select(['name', 'description', 'created_at'])
			.where('created_by', '=', person.id)
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('event_format')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};

export const event: PersonalDataRegistration = {
	feature: 'events',
	table: 'event',
	personColumns: ['host_id', 'approved_by'],
	kind: 'contribution',
	onDelete:
		'Events you host that have not happened yet are cancelled, and everyone with a place is told. Past events are deleted or kept without your name, as you choose.',
	exportAs: 'eventsYouHost',
	async export(db, person) {
		const rows = await db
			.selectFrom('event')
			.select(['id', 'title', 'starts_at', 'ends_at', 'status', 'description', 'created_at'])
			.where('host_id', '=', person.id)
			.orderBy('starts_at')
			.execute();
		return rows.map((r) => ({ ...r, address: `/events/${r.id}` }));
	},
	async erase(trx, context) {
		const { person } = context;
		const now = new Date().toISOString();
		const upcoming = await trx
			.selectFrom('event')
			.select(['id', 'title'])
			.where('host_id', '=', person.id)
			.where('status', '=', 'scheduled')
			.where('ends_at', '>', now)
			.execute();
		for (const e of upcoming) {
			const people = await trx
				.selectFrom('event_registration as r')
				.leftJoin('app_user as u', 'u.id', 'r.user_id')
				.select(['r.user_id', 'u.name as user_name', 'u.email as user_email', 'r.name', 'r.email'])
				.where('r.event_id', '=', e.id)
				.where('r.status', 'in', ['confirmed', 'offered', 'waitlisted'])
				.execute();
			for (const p of people) {
				const email = p.user_email ?? p.email;
				if (!email || p.user_id === person.id) continue;
				const body = renderMail({
					siteName: context.site.siteName,
					greeting: `Hello ${p.user_name ?? p.name ?? 'there'},`,
					paragraphs: [
						`We are sorry: ${e.title} has been cancelled, because its host has left ${context.site.siteName}.`,
						'You do not need to do anything. If you added it to your calendar, you can remove it.'
					],
					action: {
						label: 'See other events',
						url: new URL('/events', context.site.origin + '/').toString()
					}
				});
				await enqueueMail(trx, {
					to: email,
					subject: `Cancelled: ${e.title}`,
					...body,
					kind: 'events.event-cancelled',
					userId: p.user_id
				});
			}
			await trx
				.updateTable('event')
				.set({
					status: 'cancelled',
					cancelled_at: now,
					cancel_reason: 'The host has left.',
					updated_at: now
				})
				.where('id', '=', e.id)
				.execute();
			await trx
				.updateTable('event_registration')
				.set({ status: 'cancelled', cancelled_at: now, offer_expires_at: null, updated_at: now })
				.where('event_id', '=', e.id)
				.where('status', 'in', ['unconfirmed', 'offered', 'waitlisted'])
				.execute();
			await refreshEventSearch(trx, e.id);
		}
		let changed = upcoming.length;
		if (context.contributions === 'remove') {
			const covers = await trx
				.selectFrom('event')
				.select('cover_image_id')
				.where('host_id', '=', person.id)
				.where('cover_image_id', 'is not', null)
				.execute();
			const hosted = await trx
				.selectFrom('event')
				.select('id')
				.where('host_id', '=', person.id)
				.execute();
			const searchIds = await eventSearchIdsOf(
				trx,
				hosted.map((h) => h.id)
			);
			const removed = await trx
				.deleteFrom('event')
				.where('host_id', '=', person.id)
				.executeTakeFirst();
			await forgetEventSearch(trx, searchIds);
			// Their events' covers go with them.
			context.afterCommit.push(
				await deleteImages(
					trx,
					imageStoreFor(readConfig()),
					covers.map((c) => c.cover_image_id)
				)
			);
			changed += Number(removed.numDeletedRows);
			if (removed.numDeletedRows) {
				await recordAudit(trx, {
					actor: null,
					action: 'events.deleted',
					detail: {
						reason: 'their host deleted their account',
						count: Number(removed.numDeletedRows)
					}
				});
			}
		} else {
			const kept = await trx
				.updateTable('event')
				.set({ host_id: null })
				.where('host_id', '=', person.id)
				.executeTakeFirst();
			changed += Number(kept.numUpdatedRows);
		}
		const approvals = await trx
			.updateTable('event')
			.set({ approved_by: null })
			.where('approved_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(approvals.numUpdatedRows);
	}
};

export const eventRegistration: PersonalDataRegistration = {
	feature: 'events',
	table: 'event_registration',
	// Also found by `email`: places asked for before they had an account.
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete:
		'Your registrations, and the access needs you told hosts about, are deleted. Places you held go to the next person waiting.',
	exportAs: 'eventRegistrations',
	async export(db, person) {
		const rows = await db
			.selectFrom('event_registration as r')
			.innerJoin('event as e', 'e.id', 'r.event_id')
			.select([
				'e.title',
				'e.id as event_id',
				'e.starts_at',
				'r.status',
				'r.places',
				'r.lived_experience',
				'r.need_bsl',
				'r.need_step_free',
				'r.need_hearing_loop',
				'r.need_large_print',
				'r.need_dietary',
				'r.need_childcare',
				'r.need_companion',
				'r.need_other',
				'r.need_details',
				'r.created_at',
				'r.checked_in_at'
			])
			.where((eb) => eb.or([eb('r.user_id', '=', person.id), eb('r.email', '=', person.email)]))
			.orderBy('e.starts_at')
			.execute();
		return rows.map((r) => ({
			event: r.title,
			address: `/events/${r.event_id}`,
			startsAt: r.starts_at,
			status: r.status,
			places: r.places,
			livedExperience: r.lived_experience === 1,
			accessNeeds: ACCESS_NEEDS.filter((n) => r[`need_${n}`] === 1),
			accessNeedDetails: r.need_details,
			registeredAt: r.created_at,
			checkedInAt: r.checked_in_at
		}));
	},
	async erase(trx, { person }) {
		const held = await trx
			.selectFrom('event_registration')
			.select('event_id')
			.distinct()
			.where((eb) => eb.or([eb('user_id', '=', person.id), eb('email', '=', person.email)]))
			.where('status', 'in', ['confirmed', 'offered'])
			.execute();
		const result = await trx
			.deleteFrom('event_registration')
			.where((eb) => eb.or([eb('user_id', '=', person.id), eb('email', '=', person.email)]))
			.executeTakeFirst();
		// Keep each event's count of places true; the worker offers the freed places.
		for (const { event_id } of held) {
			const usage = await placeUsage(trx, event_id);
			await trx
				.updateTable('event')
				.set({ places_taken: usage.taken })
				.where('id', '=', event_id)
				.execute();
		}
		return Number(result.numDeletedRows);
	}
};

export const eventCafeTopic: PersonalDataRegistration = {
	feature: 'events',
	table: 'event_cafe_topic',
	personColumns: ['proposed_by', 'table_host_id'],
	kind: 'contribution',
	onDelete: 'Café topics you proposed are deleted or kept without your name, as you choose.',
	exportAs: 'cafeTopicsYouProposed',
	async export(db, person) {
		return db
			.selectFrom('event_cafe_topic')
			.select(['event_id', 'title', 'description', 'harvest', 'created_at'])
			.where((eb) =>
				eb.or([eb('proposed_by', '=', person.id), eb('table_host_id', '=', person.id)])
			)
			.execute();
	},
	async erase(trx, context) {
		const { person } = context;
		let changed = 0;
		if (context.contributions === 'remove') {
			// Tables shown on an event's page may go: its document follows.
			const tabled = await trx
				.selectFrom('event_cafe_topic')
				.select('event_id')
				.distinct()
				.where('proposed_by', '=', person.id)
				.where('table_number', 'is not', null)
				.execute();
			const removed = await trx
				.deleteFrom('event_cafe_topic')
				.where('proposed_by', '=', person.id)
				.executeTakeFirst();
			for (const { event_id } of tabled) await refreshEventSearch(trx, event_id, { talks: false });
			changed += Number(removed.numDeletedRows);
		} else {
			const kept = await trx
				.updateTable('event_cafe_topic')
				.set({ proposed_by: null })
				.where('proposed_by', '=', person.id)
				.executeTakeFirst();
			changed += Number(kept.numUpdatedRows);
		}
		const hosting = await trx
			.updateTable('event_cafe_topic')
			.set({ table_host_id: null })
			.where('table_host_id', '=', person.id)
			.executeTakeFirst();
		return changed + Number(hosting.numUpdatedRows);
	}
};

export const eventCafeDot: PersonalDataRegistration = {
	feature: 'events',
	table: 'event_cafe_dot',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your votes on café topics are deleted.',
	exportAs: 'cafeVotes',
	async export(db, person) {
		return db
			.selectFrom('event_cafe_dot as d')
			.innerJoin('event_cafe_topic as t', 't.id', 'd.topic_id')
			.select(['t.title as topic', 'd.dots', 'd.event_id'])
			.where('d.user_id', '=', person.id)
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('event_cafe_dot')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const eventTalk: PersonalDataRegistration = {
	feature: 'events',
	table: 'event_talk',
	personColumns: ['speaker_id'],
	kind: 'contribution',
	onDelete: 'Talks you offered are deleted or kept without your name, as you choose.',
	exportAs: 'talksYouOffered',
	async export(db, person) {
		return db
			.selectFrom('event_talk')
			.select([
				'event_id',
				'title',
				'summary',
				'minutes',
				'status',
				'slides_url',
				'video_url',
				'created_at'
			])
			.where('speaker_id', '=', person.id)
			.execute();
	},
	async erase(trx, context) {
		const { person } = context;
		if (context.contributions === 'remove') {
			const talks = await trx
				.selectFrom('event_talk')
				.select('id')
				.where('speaker_id', '=', person.id)
				.execute();
			const removed = await trx
				.deleteFrom('event_talk')
				.where('speaker_id', '=', person.id)
				.executeTakeFirst();
			for (const { id } of talks) await removeTalkSearch(trx, id);
			return Number(removed.numDeletedRows);
		}
		const kept = await trx
			.updateTable('event_talk')
			.set({ speaker_id: null })
			.where('speaker_id', '=', person.id)
			.executeTakeFirst();
		return Number(kept.numUpdatedRows);
	}
};

export const EVENTS_PERSONAL_DATA = [
	eventRegistration,
	eventCafeDot,
	eventCafeTopic,
	eventTalk,
	event,
	eventFormat
];
