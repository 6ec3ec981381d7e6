import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isAdministrator, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { fieldErrors, wholeNumber, type FieldErrors, type FormValues } from '../forms';
import { readSetting, writeSetting } from '../settings/settings.repository';
import { APPROVE_FIRST_EVENT_SETTING } from './events.service';
import { CLAIM_WINDOW_SETTING, DEFAULT_CLAIM_WINDOW_HOURS } from './registrations.service';

/** The instance's choices about events, as administrators set them. */
export interface EventSettings {
	/** A member's first event waits for a curator's approval. */
	approveFirstEvent: boolean;
	/** How long a freed place is held for the next person (shorter as the event gets near). */
	claimWindowHours: number;
}

export async function readEventSettings(db: Kysely<DB>): Promise<EventSettings> {
	const [approve, window] = await Promise.all([
		readSetting(db, APPROVE_FIRST_EVENT_SETTING),
		readSetting(db, CLAIM_WINDOW_SETTING)
	]);
	const hours = Number(window);
	return {
		approveFirstEvent: approve !== 'off',
		claimWindowHours: Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_CLAIM_WINDOW_HOURS
	};
}

/** The events part of /admin/settings. */
export const settingsSchema = z.object({
	approveFirstEvent: z.enum(['on', 'off'], { error: 'Choose yes or no' }),
	claimWindowHours: wholeNumber({
		label: 'Hours to take a place',
		min: 1,
		max: 168,
		required: 'Enter a number of hours',
		tooSmall: 'Give people at least 1 hour',
		tooBig: 'Give people at most 168 hours (a week)'
	})
});

/** An administrator changes the event settings; the change is in the audit log. */
export async function saveEventSettings(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	values: FormValues
): Promise<{ ok: true } | { ok: false; reason: 'invalid'; errors: FieldErrors }> {
	assertCan(isAdministrator(actor), 'Only administrators can change settings.');
	const parsed = settingsSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	await db.transaction().execute(async (trx) => {
		await writeSetting(trx, APPROVE_FIRST_EVENT_SETTING, parsed.data.approveFirstEvent);
		await writeSetting(trx, CLAIM_WINDOW_SETTING, String(parsed.data.claimWindowHours));
		await recordAudit(trx, {
			actor: actor ?? null,
			action: 'settings.events_changed',
			detail: {
				approveFirstEvent: parsed.data.approveFirstEvent,
				claimWindowHours: parsed.data.claimWindowHours
			}
		});
	});
	return { ok: true };
}
