import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { DB } from '../db/schema';
import { enqueueMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { EraseContext, PersonalDataRegistration } from '../your-data/your-data.types';
import { refreshPilotSearch } from './pilots.search';

// A pilot belongs to its team, as an organisation belongs to its members. When its owner
// deletes their account, the person on the team longest becomes its owner (and is told by
// email), so the log carries on. A pilot with nobody else on its team is the owner's own
// contribution: removed, or kept without their name, as they choose for their posts; one for
// the team only is always removed, since nobody could ever read it again.
//
// Entries mirror posts: the ones they wrote are removed, or kept without their name, as they
// choose. Their places on teams and their follows always go.

async function tellNewOwner(
	trx: Transaction<DB>,
	context: EraseContext,
	pilot: { title: string; slug: string },
	to: { id: string; name: string; email: string }
): Promise<void> {
	const { siteName, origin } = context.site;
	const body = renderMail({
		siteName,
		greeting: `Hello ${to.name},`,
		paragraphs: [
			`The owner of the pilot “${pilot.title}” has left ${siteName}.`,
			'You have been on its team the longest, so you now own it. You can change its details, who can read it and who is on its team.'
		],
		action: {
			label: 'Go to the pilot',
			url: new URL(`/pilots/${pilot.slug}`, origin + '/').toString()
		}
	});
	await enqueueMail(trx, {
		to: to.email,
		subject: `You now own the pilot “${pilot.title}”`,
		// The title is the team's words: once sent, the outbox keeps only this.
		keptSubject: 'You now own a pilot',
		...body,
		kind: 'pilots.owner-handed-over',
		userId: to.id
	});
}

export const pilots: PersonalDataRegistration = {
	feature: 'pilots',
	table: 'pilot',
	personColumns: ['owner_id'],
	kind: 'contribution',
	onDelete:
		'Pilots you own pass to the person on the team longest. A pilot with nobody else on its team is removed, or kept without your name as you choose; one only its team could read is removed.',
	exportAs: 'pilotsYouOwn',
	async export(db, person) {
		const rows = await db
			.selectFrom('pilot')
			.select([
				'id',
				'slug',
				'title',
				'summary',
				'status',
				'visibility',
				'organisation_id',
				'case_study_id',
				'finished_at',
				'created_at',
				'updated_at'
			])
			.where('owner_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		const areas = rows.length
			? await db
					.selectFrom('pilot_service_area as a')
					.innerJoin('library_tag as t', 't.id', 'a.tag_id')
					.select(['a.pilot_id', 't.label'])
					.where(
						'a.pilot_id',
						'in',
						rows.map((r) => r.id)
					)
					.execute()
			: [];
		return rows.map((r) => ({
			...r,
			serviceAreas: areas.filter((a) => a.pilot_id === r.id).map((a) => a.label),
			address: `/pilots/${r.slug}`
		}));
	},
	async erase(trx, context) {
		const { person } = context;
		const owned = await trx
			.selectFrom('pilot')
			.select(['id', 'slug', 'title', 'visibility'])
			.where('owner_id', '=', person.id)
			.orderBy('id')
			.execute();
		let changed = 0;
		for (const pilot of owned) {
			const next = await trx
				.selectFrom('pilot_member as m')
				.innerJoin('app_user as u', 'u.id', 'm.user_id')
				.select(['m.user_id', 'u.name', 'u.email'])
				.where('m.pilot_id', '=', pilot.id)
				.where('m.user_id', '!=', person.id)
				.orderBy('m.added_at')
				.orderBy('m.user_id')
				.executeTakeFirst();
			if (next) {
				await trx
					.updateTable('pilot')
					.set({ owner_id: next.user_id })
					.where('id', '=', pilot.id)
					.execute();
				await trx
					.deleteFrom('pilot_member')
					.where('pilot_id', '=', pilot.id)
					.where('user_id', '=', next.user_id)
					.execute();
				await tellNewOwner(trx, context, pilot, {
					id: next.user_id,
					name: next.name,
					email: next.email
				});
				await recordAudit(trx, {
					actor: null,
					action: 'pilot.owner_handed_over',
					target: { type: 'pilot', id: pilot.id },
					detail: { reason: 'its owner deleted their account' }
				});
			} else if (context.contributions === 'remove' || pilot.visibility === 'team') {
				await trx.deleteFrom('pilot').where('id', '=', pilot.id).execute();
				await refreshPilotSearch(trx, pilot.id);
			} else {
				await trx.updateTable('pilot').set({ owner_id: null }).where('id', '=', pilot.id).execute();
			}
			changed++;
		}
		return changed;
	}
};

export const pilotEntries: PersonalDataRegistration = {
	feature: 'pilots',
	table: 'pilot_entry',
	personColumns: ['author_id', 'edited_by'],
	kind: 'contribution',
	onDelete:
		'Entries you wrote in pilots are removed, or kept without your name (shown as from a former member), as you choose.',
	exportAs: 'pilotEntriesYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('pilot_entry as e')
			.innerJoin('pilot as p', 'p.id', 'e.pilot_id')
			.select([
				'e.id',
				'e.entry_date',
				'e.tried',
				'e.happened',
				'e.learned',
				'e.next_change',
				'e.created_at',
				'e.edited_at',
				'p.title as pilot_title',
				'p.slug as pilot_slug'
			])
			.where('e.author_id', '=', person.id)
			.orderBy('e.created_at')
			.execute();
		return rows.map(({ pilot_slug, ...r }) => ({
			...r,
			address: `/pilots/${pilot_slug}#entry-${r.id}`
		}));
	},
	async erase(trx, { person, contributions }) {
		let changed = 0;
		if (contributions === 'remove') {
			const pilots = await trx
				.selectFrom('pilot_entry')
				.select('pilot_id')
				.distinct()
				.where('author_id', '=', person.id)
				.execute();
			const removed = await trx
				.deleteFrom('pilot_entry')
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			changed += Number(removed.numDeletedRows);
			// Their words leave the logs' documents too.
			for (const { pilot_id } of pilots) await refreshPilotSearch(trx, pilot_id);
		} else {
			const kept = await trx
				.updateTable('pilot_entry')
				.set({ author_id: null })
				.where('author_id', '=', person.id)
				.executeTakeFirst();
			changed += Number(kept.numUpdatedRows);
		}
		const edited = await trx
			.updateTable('pilot_entry')
			.set({ edited_by: null })
			.where('edited_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(edited.numUpdatedRows);
	}
};

export const pilotMembers: PersonalDataRegistration = {
	feature: 'pilots',
	table: 'pilot_member',
	personColumns: ['user_id', 'added_by'],
	kind: 'personal',
	onDelete:
		'You leave the teams of pilots you were on. Where you added someone to a team, they stay on it.',
	exportAs: 'pilotTeamsYouAreOn',
	async export(db, person) {
		const rows = await db
			.selectFrom('pilot_member as m')
			.innerJoin('pilot as p', 'p.id', 'm.pilot_id')
			.select(['p.title', 'p.slug', 'm.added_at'])
			.where('m.user_id', '=', person.id)
			.orderBy('m.added_at')
			.execute();
		return rows.map((r) => ({ pilot: r.title, address: `/pilots/${r.slug}`, addedAt: r.added_at }));
	},
	async erase(trx, { person }) {
		const left = await trx
			.deleteFrom('pilot_member')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		const added = await trx
			.updateTable('pilot_member')
			.set({ added_by: null })
			.where('added_by', '=', person.id)
			.executeTakeFirst();
		return Number(left.numDeletedRows) + Number(added.numUpdatedRows);
	}
};

export const pilotFollowers: PersonalDataRegistration = {
	feature: 'pilots',
	table: 'pilot_follower',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You stop following pilots.',
	exportAs: 'pilotsYouFollow',
	async export(db, person) {
		const rows = await db
			.selectFrom('pilot_follower as f')
			.innerJoin('pilot as p', 'p.id', 'f.pilot_id')
			.select(['p.title', 'p.slug', 'f.created_at'])
			.where('f.user_id', '=', person.id)
			.orderBy('f.created_at')
			.execute();
		return rows.map((r) => ({
			pilot: r.title,
			address: `/pilots/${r.slug}`,
			followingSince: r.created_at
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('pilot_follower')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

/** In this order: owners hand over before their places on teams go. */
export const PILOTS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	pilots,
	pilotEntries,
	pilotMembers,
	pilotFollowers
];
