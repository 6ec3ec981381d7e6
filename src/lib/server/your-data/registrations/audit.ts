import { FORMER_MEMBER_NAME, summariseAuditEntry } from '../../audit/audit.service';
import type { PersonalDataRegistration } from '../your-data.types';

/**
 * The audit log and "delete my account". The log must keep saying what happened (an
 * administrator's actions stay accountable), but not who a deleted person was: entries they
 * made keep the action and lose the name ("Former member"); entries about them keep the
 * action and lose the link to them. Nothing else in an entry is personal (see recordAudit).
 */
export const auditLog: PersonalDataRegistration = {
	feature: 'audit',
	table: 'audit_log',
	// target_id also points at a person when target_type is "user".
	personColumns: ['actor_id', 'target_id'],
	kind: 'personal',
	onDelete:
		'The audit log keeps a record of administrative actions, without your name or any link to you.',
	exportAs: 'auditLog',
	async export(db, person) {
		const rows = await db
			.selectFrom('audit_log')
			.selectAll()
			.where((eb) =>
				eb.or([
					eb('actor_id', '=', person.id),
					eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', person.id)])
				])
			)
			.orderBy('created_at')
			.orderBy('id')
			.execute();
		return rows.map((r) => {
			let detail: Record<string, unknown> = {};
			try {
				detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {};
			} catch {
				// An unreadable entry still shows its action.
			}
			const aboutYou = r.target_type === 'user' && r.target_id === person.id;
			return {
				at: r.created_at,
				by: r.actor_id === person.id ? 'you' : r.actor_name,
				action: r.action,
				summary: summariseAuditEntry({
					action: r.action,
					targetType: r.target_type,
					targetName: aboutYou ? person.name : null,
					detail
				}),
				detail
			};
		});
	},
	async erase(trx, { person }) {
		const byThem = await trx
			.updateTable('audit_log')
			.set({ actor_id: null, actor_name: FORMER_MEMBER_NAME })
			.where('actor_id', '=', person.id)
			.executeTakeFirst();
		const aboutThem = await trx
			.updateTable('audit_log')
			.set({ target_id: null })
			.where('target_type', '=', 'user')
			.where('target_id', '=', person.id)
			.executeTakeFirst();
		return Number(byThem.numUpdatedRows) + Number(aboutThem.numUpdatedRows);
	}
};
