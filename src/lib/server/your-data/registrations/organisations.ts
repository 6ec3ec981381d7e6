import type { Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.service';
import type { DB } from '../../db/schema';
import { enqueueMail } from '../../mail/outbox';
import { renderMail } from '../../mail/templates';
import { readConfig } from '../../config';
import { deleteImages } from '../../uploads/image-store';
import { imageStoreFor } from '../../uploads/uploads';
import type { EraseContext, PersonalDataRegistration } from '../your-data.types';
import { refreshEventSearch } from '../../events/events.search';
import { refreshOrganisationSearch } from '../../organisations/organisations.search';
import { refreshStatementsSearch, statementsEndorsedBy } from '../../statements/statements.search';

// The organisations feature's tables. Kept here until its owner moves it beside their code.
//
// An organisation belongs to its members, not to whoever created it. When someone deletes
// their account:
// - an organisation where they were the only admin, with other members, passes to the member
//   who has belonged longest (who is told by email), so it can still be run from inside;
// - an organisation with nobody else in it is their contribution alone: it is deleted if they
//   chose "remove", or kept without members if they chose "keep" (site administrators can
//   still manage it, and an invitation already sent can bring someone in);
// - "created by" is cleared everywhere; their memberships and invitations to them go.

/** Tells someone they now run an organisation because its only admin left. */
async function tellNewAdmin(
	trx: Transaction<DB>,
	context: EraseContext,
	organisation: { name: string; slug: string },
	to: { id: string; name: string; email: string }
): Promise<void> {
	const { siteName, origin } = context.site;
	const body = renderMail({
		siteName,
		greeting: `Hello ${to.name},`,
		paragraphs: [
			`The only admin of ${organisation.name} has left ${siteName}.`,
			'You have been a member the longest, so you are now its admin. You can edit its page, invite people and manage its members.',
			'If you do not want to do this, make another member an admin and then change your own role back.'
		],
		action: {
			label: `Go to ${organisation.name}`,
			url: new URL(`/organisations/${organisation.slug}`, origin + '/').toString()
		}
	});
	await enqueueMail(trx, {
		to: to.email,
		subject: `You are now an admin of ${organisation.name}`,
		...body,
		kind: 'organisations.admin-handed-over',
		userId: to.id
	});
}

/** Other members of an organisation, longest-standing first. */
async function otherMembers(trx: Transaction<DB>, organisationId: string, personId: string) {
	return trx
		.selectFrom('organisation_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select(['m.user_id', 'm.role', 'u.name', 'u.email'])
		.where('m.organisation_id', '=', organisationId)
		.where('m.user_id', '!=', personId)
		.orderBy('m.joined_at')
		.orderBy('m.user_id')
		.execute();
}

export const organisation: PersonalDataRegistration = {
	feature: 'organisations',
	table: 'organisation',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete:
		'Organisations you are the only member of are deleted or kept, as you choose. Where you are the only admin, the member who has belonged longest becomes its admin.',
	exportAs: 'organisationsYouCreated',
	async export(db, person) {
		const rows = await db
			.selectFrom('organisation')
			.select(['name', 'slug', 'description', 'website', 'created_at'])
			.where('created_by', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({
			name: r.name,
			address: `/organisations/${r.slug}`,
			description: r.description,
			website: r.website,
			createdAt: r.created_at
		}));
	},
	async erase(trx, context) {
		const { person } = context;
		let changed = 0;
		// Every organisation they belong to or created, with how they stand in it.
		const theirs = await trx
			.selectFrom('organisation as o')
			.leftJoin('organisation_member as m', (join) =>
				join.onRef('m.organisation_id', '=', 'o.id').on('m.user_id', '=', person.id)
			)
			.select(['o.id', 'o.name', 'o.slug', 'o.logo_image_id', 'm.role'])
			.where((eb) => eb.or([eb('o.created_by', '=', person.id), eb('m.user_id', '=', person.id)]))
			.orderBy('o.id')
			.execute();

		for (const org of theirs) {
			const others = await otherMembers(trx, org.id, person.id);
			if (others.length === 0) {
				if (context.contributions === 'remove') {
					const itsEvents = await trx
						.selectFrom('event')
						.select('id')
						.where('organisation_id', '=', org.id)
						.execute();
					const endorsed = await statementsEndorsedBy(trx, org.id);
					await trx.deleteFrom('organisation').where('id', '=', org.id).execute();
					// Its document goes; its events' documents and the statements it endorsed no
					// longer name it.
					await refreshOrganisationSearch(trx, org.id);
					for (const e of itsEvents) await refreshEventSearch(trx, e.id, { talks: false });
					await refreshStatementsSearch(trx, endorsed);
					// Its logo goes with it.
					context.afterCommit.push(
						await deleteImages(trx, imageStoreFor(readConfig()), [org.logo_image_id])
					);
					await recordAudit(trx, {
						actor: null,
						action: 'organisation.deleted',
						target: { type: 'organisation', id: org.id },
						detail: { reason: 'its only member deleted their account' }
					});
					changed++;
				}
				continue;
			}
			if (org.role === 'admin' && !others.some((m) => m.role === 'admin')) {
				const heir = others[0]!;
				await trx
					.updateTable('organisation_member')
					.set({ role: 'admin' })
					.where('organisation_id', '=', org.id)
					.where('user_id', '=', heir.user_id)
					.execute();
				await tellNewAdmin(trx, context, org, {
					id: heir.user_id,
					name: heir.name,
					email: heir.email
				});
				await recordAudit(trx, {
					actor: null,
					action: 'organisation.admin_handed_over',
					target: { type: 'organisation', id: org.id },
					detail: { reason: 'its only admin deleted their account' }
				});
				changed++;
			}
		}

		const cleared = await trx
			.updateTable('organisation')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(cleared.numUpdatedRows);
	}
};

export const organisationMember: PersonalDataRegistration = {
	feature: 'organisations',
	table: 'organisation_member',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You leave every organisation you belong to.',
	exportAs: 'organisationMemberships',
	async export(db, person) {
		const rows = await db
			.selectFrom('organisation_member as m')
			.innerJoin('organisation as o', 'o.id', 'm.organisation_id')
			.select(['o.name', 'o.slug', 'm.role', 'm.joined_at'])
			.where('m.user_id', '=', person.id)
			.orderBy('m.joined_at')
			.execute();
		return rows.map((r) => ({
			organisation: r.name,
			address: `/organisations/${r.slug}`,
			role: r.role,
			joinedAt: r.joined_at
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('organisation_member')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const organisationInvite: PersonalDataRegistration = {
	feature: 'organisations',
	table: 'organisation_invite',
	// Also found by `email`: invitations sent to the person.
	personColumns: ['invited_by'],
	kind: 'personal',
	onDelete:
		'Invitations sent to you are deleted. Invitations you sent for an organisation stay with it, without your name.',
	exportAs: 'organisationInvitations',
	async export(db, person) {
		const base = db
			.selectFrom('organisation_invite as i')
			.innerJoin('organisation as o', 'o.id', 'i.organisation_id')
			.select(['o.name', 'i.email', 'i.role', 'i.created_at', 'i.expires_at', 'i.accepted_at']);
		// Never the token's hash.
		const [sent, received] = await Promise.all([
			base.where('i.invited_by', '=', person.id).orderBy('i.created_at').execute(),
			base.where('i.email', '=', person.email).orderBy('i.created_at').execute()
		]);
		const shape = (r: (typeof sent)[number]) => ({
			organisation: r.name,
			email: r.email,
			role: r.role,
			sentAt: r.created_at,
			expiresAt: r.expires_at,
			acceptedAt: r.accepted_at
		});
		return { sentByYou: sent.map(shape), sentToYou: received.map(shape) };
	},
	async erase(trx, { person }) {
		const deleted = await trx
			.deleteFrom('organisation_invite')
			.where('email', '=', person.email)
			.executeTakeFirst();
		const cleared = await trx
			.updateTable('organisation_invite')
			.set({ invited_by: null })
			.where('invited_by', '=', person.id)
			.executeTakeFirst();
		return Number(deleted.numDeletedRows) + Number(cleared.numUpdatedRows);
	}
};
