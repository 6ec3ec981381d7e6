import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import { findAccountByEmail } from '../auth/users.service';
import { changeContent } from '../cache/content-version';
import { refreshOrganisationSearch } from './organisations.search';
import { refreshStatementsSearch, statementsEndorsedBy } from '../statements/statements.search';
import { findImage, stagePicture } from '../uploads/image-store';
import { readPictureEntry, type PictureField } from '../uploads/uploads';
import { toPicture, type Picture } from '$lib/pictures';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { fieldErrors, type FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { consumeRateLimit } from '../rate-limit/rate-limit.service';
import { inviteMail, type InviteSite } from './organisations.mails';
import {
	canAcceptInvite,
	canChangeMemberRole,
	canCreateOrganisation,
	canEditOrganisation,
	canInviteToOrganisation,
	canManageMembers,
	canRemoveMember,
	type Membership
} from './organisations.permissions';
import {
	countAdmins,
	countOrganisations,
	deleteInvite,
	deleteInvitesExpiredBefore,
	deleteMember,
	deleteOpenInvitesTo,
	findInviteById,
	findInviteByTokenHash,
	findMembership,
	findOrganisationById,
	findOrganisationBySlug,
	findSlugsLike,
	insertInvite,
	insertMember,
	insertOrganisation,
	listMembersWithPeople,
	listOpenInvites,
	listOrganisationsOfUser,
	listOrganisationsPage,
	listPublicMembers,
	lockOrganisation,
	markInviteAccepted,
	updateMemberRole,
	updateOrganisationRow,
	type MemberWithPerson,
	type PersonsOrganisation
} from './organisations.repository';
import {
	inviteIdSchema,
	inviteSchema,
	memberRoleSchema,
	memberSchema,
	organisationSchema
} from './organisations.schema';
import type { Organisation, OrganisationInvite, OrganisationRole } from './organisations.tables';
import { slugWords } from '../slugs';

export type { InviteSite } from './organisations.mails';
export type { PersonsOrganisation } from './organisations.repository';

/** How long an emailed invitation works. */
export const INVITE_LIFETIME_DAYS = 14;
/** Expired invitations (and the addresses in them) are forgotten this long after expiring. */
export const INVITE_RETENTION_DAYS = 30;
/** Each person may send this many invitations an hour, so nobody can use us to send spam. */
export const INVITE_RATE_LIMIT = { limit: 30, windowSeconds: 60 * 60 };
export const ORGANISATIONS_PER_PAGE = 20;
/** Paths under /organisations/ that are pages, not organisations. */
const RESERVED_SLUGS = new Set(['new', 'invites']);
const DAY_MS = 24 * 60 * 60 * 1000;

type Fail<R extends string> = { ok: false; reason: R };
type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };

async function membershipOf(
	db: Kysely<DB> | Transaction<DB>,
	actor: Actor | null | undefined,
	organisationId: string
): Promise<Membership> {
	if (!isPerson(actor)) return null;
	return (await findMembership(db, organisationId, actor.id)) ?? null;
}

/** A refusal found inside a transaction: rolls it back (so no cache bump) and is returned. */
class Refusal<R> extends Error {
	constructor(readonly outcome: R) {
		super('refused');
	}
}

async function changeOrRefuse<T, R>(
	db: Kysely<DB>,
	write: (trx: Transaction<DB>) => Promise<T>
): Promise<T | R> {
	try {
		return await changeContent(db, write);
	} catch (caught) {
		if (caught instanceof Refusal) return caught.outcome as R;
		throw caught;
	}
}

/** "Carers’ Trust & Friends" → "carers-trust-and-friends"; never empty. */
export function slugify(name: string): string {
	const slug = slugWords(name);
	return slug || 'organisation';
}

async function chooseSlug(trx: Transaction<DB>, name: string): Promise<string> {
	const base = slugify(name);
	const taken = new Set([...(await findSlugsLike(trx, base)), ...RESERVED_SLUGS]);
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Hashes an emailed token: only the hash is stored, so a copy of the database opens nothing. */
export function hashInviteToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface OrganisationsPage {
	/** `logo` is decorative here (its alt is empty): the name is beside it as text. */
	items: Array<
		Pick<Organisation, 'id' | 'slug' | 'name' | 'description'> & { logo: Picture | null }
	>;
	page: number;
	totalPages: number;
	total: number;
}

/** One page of every organisation, by name (anyone may read it). Undefined past the last page. */
export async function listOrganisations(
	db: Kysely<DB>,
	page = 1,
	perPage = ORGANISATIONS_PER_PAGE
): Promise<OrganisationsPage | undefined> {
	const total = await countOrganisations(db);
	const totalPages = Math.max(1, Math.ceil(total / perPage));
	if (!Number.isInteger(page) || page < 1 || page > totalPages) return undefined;
	const rows = await listOrganisationsPage(db, { limit: perPage, offset: (page - 1) * perPage });
	const items = rows.map(({ logo_id, logo_widths, logo_width, logo_height, ...organisation }) => ({
		...organisation,
		logo:
			logo_id && logo_widths && logo_width && logo_height
				? toPicture(
						{ id: logo_id, widths: logo_widths, width: logo_width, height: logo_height },
						''
					)
				: null
	}));
	return { items, page, totalPages, total };
}

export interface OrganisationView {
	organisation: Organisation;
	/** Members who chose to show their organisations; nobody else is listed. */
	members: Array<{ userId: string; name: string; role: OrganisationRole }>;
	/** What the viewer may do here (all false for visitors). */
	viewer: { role: OrganisationRole | null; canEdit: boolean; canManageMembers: boolean };
}

/** An organisation's public page, with what the viewer may do on it. */
export async function viewOrganisation(
	db: Kysely<DB>,
	viewer: Actor | null,
	slug: string
): Promise<OrganisationView | undefined> {
	const organisation = await findOrganisationBySlug(db, slug);
	if (!organisation) return undefined;
	const [members, membership] = await Promise.all([
		listPublicMembers(db, organisation.id),
		membershipOf(db, viewer, organisation.id)
	]);
	return {
		organisation,
		members,
		viewer: {
			role: membership?.role ?? null,
			canEdit: canEditOrganisation(viewer, membership),
			canManageMembers: canManageMembers(viewer, membership)
		}
	};
}

/** The organisation, for its edit form. Refuses anyone who may not edit it. */
export async function getOrganisationForEditing(
	db: Kysely<DB>,
	actor: Actor | null,
	slug: string
): Promise<Organisation | undefined> {
	const organisation = await findOrganisationBySlug(db, slug);
	if (!organisation) return undefined;
	const membership = await membershipOf(db, actor, organisation.id);
	assertCan(
		canEditOrganisation(actor, membership),
		'Only this organisation’s admins can change its details.'
	);
	return organisation;
}

export interface OpenInvite {
	id: string;
	email: string;
	role: OrganisationRole;
	createdAt: string;
	expiresAt: string;
	expired: boolean;
}

export interface MembersView {
	organisation: Organisation;
	members: MemberWithPerson[];
	invites: OpenInvite[];
	adminCount: number;
}

/** Everyone in an organisation, with email addresses and open invitations: for its admins. */
export async function getMembersForAdmins(
	db: Kysely<DB>,
	actor: Actor | null,
	slug: string,
	now = new Date()
): Promise<MembersView | undefined> {
	const organisation = await findOrganisationBySlug(db, slug);
	if (!organisation) return undefined;
	const membership = await membershipOf(db, actor, organisation.id);
	assertCan(
		canManageMembers(actor, membership),
		'Only this organisation’s admins can manage its members.'
	);
	const [members, invites] = await Promise.all([
		listMembersWithPeople(db, organisation.id),
		listOpenInvites(db, organisation.id)
	]);
	return {
		organisation,
		members,
		adminCount: members.filter((m) => m.role === 'admin').length,
		invites: invites.map((i) => ({
			id: i.id,
			email: i.email,
			role: i.role,
			createdAt: i.created_at,
			expiresAt: i.expires_at,
			expired: new Date(i.expires_at) <= now
		}))
	};
}

/** The organisations a person belongs to, by name, with their role in each. */
export async function listOrganisationsOfPerson(
	db: Kysely<DB>,
	userId: string
): Promise<PersonsOrganisation[]> {
	return listOrganisationsOfUser(db, userId);
}

/**
 * The organisations a person may act for ("on behalf of"): every one they belong to, as admin
 * or member. Later features offer these as choices and must check a submitted one with
 * `mayRepresentOrganisation`.
 */
export async function organisationsActorMayRepresent(
	db: Kysely<DB>,
	userId: string
): Promise<PersonsOrganisation[]> {
	return listOrganisationsOfUser(db, userId);
}

/** Whether a person may act for this organisation right now. */
export async function mayRepresentOrganisation(
	db: Kysely<DB> | Transaction<DB>,
	userId: string,
	organisationId: string
): Promise<boolean> {
	return !!(await findMembership(db, organisationId, userId));
}

// ---------------------------------------------------------------------------------------------
// Writing

export type OrganisationResult = { ok: true; organisation: Organisation } | Invalid;

/**
 * Creates an organisation, with a logo when one is sent; the member who creates it becomes its
 * first admin.
 */
export async function createOrganisation(
	db: Kysely<DB>,
	actor: Actor | null,
	input: unknown,
	logoField?: PictureField
): Promise<OrganisationResult> {
	assertCan(canCreateOrganisation(actor), 'Sign in to create an organisation.');
	const parsed = organisationSchema.safeParse(input);
	const upload = logoField
		? await readPictureEntry(logoField.entry, logoField.limit)
		: ({ kind: 'none' } as const);
	if (!parsed.success || upload.kind === 'refused') {
		const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
		if (upload.kind === 'refused') errors.logo = upload.message;
		return { ok: false, reason: 'invalid', errors };
	}
	const data = parsed.data;
	const picture = upload.kind === 'new' ? upload.picture : undefined;
	const pictures = await stagePicture(logoField?.store, picture);
	const created = async (): Promise<OrganisationResult> => {
		// Two organisations created at once with the same name may pick the same slug; the unique
		// index refuses the second, which then tries again with the next free one.
		for (let attempt = 1; ; attempt++) {
			try {
				const organisation = await changeContent(db, async (trx) => {
					const now = nowIso();
					const organisation: Organisation = {
						id: newId(),
						slug: await chooseSlug(trx, data.name),
						name: data.name,
						description: data.description,
						website: data.website,
						logo_image_id: picture ? await pictures.save(trx) : null,
						created_by: actor.id,
						created_at: now,
						updated_at: now
					};
					await insertOrganisation(trx, organisation);
					await insertMember(trx, {
						organisation_id: organisation.id,
						user_id: actor.id,
						role: 'admin',
						joined_at: now
					});
					await refreshOrganisationSearch(trx, organisation.id);
					return organisation;
				});
				return { ok: true, organisation };
			} catch (caught) {
				if (attempt < 5 && isUniqueViolation(caught)) continue;
				throw caught;
			}
		}
	};
	return pictures.settle(created());
}

/** Changes an organisation's name, description and website (its admins only). */
export async function updateOrganisation(
	db: Kysely<DB>,
	actor: Actor | null,
	organisationId: string,
	input: unknown,
	logoField?: PictureField
): Promise<OrganisationResult | Fail<'not-found'>> {
	const organisation = await findOrganisationById(db, organisationId);
	if (!organisation) return { ok: false, reason: 'not-found' };
	const membership = await membershipOf(db, actor, organisationId);
	assertCan(
		canEditOrganisation(actor, membership),
		'Only this organisation’s admins can change its details.'
	);
	const parsed = organisationSchema.safeParse(input);
	const upload = logoField
		? await readPictureEntry(logoField.entry, logoField.limit)
		: ({ kind: 'none' } as const);
	if (!parsed.success || upload.kind === 'refused') {
		const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
		if (upload.kind === 'refused') errors.logo = upload.message;
		return { ok: false, reason: 'invalid', errors };
	}
	const picture = upload.kind === 'new' ? upload.picture : undefined;
	const removeLogo = !picture && (input as Record<string, unknown> | null)?.removeLogo === 'yes';
	const update: Partial<Organisation> = {
		name: parsed.data.name,
		description: parsed.data.description,
		website: parsed.data.website,
		updated_at: nowIso()
	};
	const pictures = await stagePicture(logoField?.store, picture);
	const changed = changeContent(db, async (trx) => {
		if (picture || removeLogo) {
			update.logo_image_id = picture ? await pictures.save(trx) : null;
			await pictures.retire(trx, organisation.logo_image_id);
		}
		await updateOrganisationRow(trx, organisationId, update);
		await refreshOrganisationSearch(trx, organisationId);
		// The statements it endorsed name it in search: they follow a new name at once.
		if (update.name !== organisation.name) {
			await refreshStatementsSearch(trx, await statementsEndorsedBy(trx, organisationId));
		}
		return { ok: true as const, organisation: { ...organisation, ...update } };
	});
	return pictures.settle(changed);
}

/** The organisation's logo; its text alternative is the organisation's name. */
export async function organisationLogo(
	db: Kysely<DB>,
	organisation: Pick<Organisation, 'logo_image_id' | 'name'>
): Promise<Picture | null> {
	if (!organisation.logo_image_id) return null;
	return toPicture(await findImage(db, organisation.logo_image_id), organisation.name);
}

export type MemberChangeResult =
	{ ok: true } | Invalid | Fail<'not-found' | 'not-a-member' | 'last-admin'>;

/**
 * Makes a member an admin, or an admin a member (its admins only). Refuses to demote the last
 * admin: an organisation always keeps at least one.
 */
export async function changeMemberRole(
	db: Kysely<DB>,
	actor: Actor | null,
	organisationId: string,
	input: unknown
): Promise<MemberChangeResult> {
	const organisation = await findOrganisationById(db, organisationId);
	if (!organisation) return { ok: false, reason: 'not-found' };
	const membership = await membershipOf(db, actor, organisationId);
	assertCan(
		canChangeMemberRole(actor, membership),
		'Only this organisation’s admins can change its members’ roles.'
	);
	const parsed = memberRoleSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { userId, role } = parsed.data;
	return changeOrRefuse<MemberChangeResult, MemberChangeResult>(db, async (trx) => {
		await lockOrganisation(trx, organisationId);
		const target = await findMembership(trx, organisationId, userId);
		if (!target) throw new Refusal({ ok: false, reason: 'not-a-member' });
		if (target.role === role) throw new Refusal({ ok: true });
		if (target.role === 'admin' && (await countAdmins(trx, organisationId)) <= 1)
			throw new Refusal({ ok: false, reason: 'last-admin' });
		await updateMemberRole(trx, organisationId, userId, role);
		return { ok: true };
	});
}

/**
 * Takes someone out of an organisation: its admins may remove anyone, and every member may
 * remove themselves. The last admin cannot go until someone else is an admin.
 */
export async function removeMember(
	db: Kysely<DB>,
	actor: Actor | null,
	organisationId: string,
	input: unknown
): Promise<MemberChangeResult> {
	const organisation = await findOrganisationById(db, organisationId);
	if (!organisation) return { ok: false, reason: 'not-found' };
	const parsed = memberSchema.safeParse(input);
	const membership = await membershipOf(db, actor, organisationId);
	assertCan(
		canRemoveMember(actor, membership, parsed.success ? parsed.data.userId : ''),
		'Only this organisation’s admins can remove other members.'
	);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { userId } = parsed.data;
	return changeOrRefuse<MemberChangeResult, MemberChangeResult>(db, async (trx) => {
		await lockOrganisation(trx, organisationId);
		const target = await findMembership(trx, organisationId, userId);
		if (!target) throw new Refusal({ ok: false, reason: 'not-a-member' });
		if (target.role === 'admin' && (await countAdmins(trx, organisationId)) <= 1)
			throw new Refusal({ ok: false, reason: 'last-admin' });
		await deleteMember(trx, organisationId, userId);
		return { ok: true };
	});
}

/** The signed-in person leaves an organisation (not when they are its last admin). */
export async function leaveOrganisation(
	db: Kysely<DB>,
	actor: Actor | null,
	organisationId: string
): Promise<MemberChangeResult> {
	assertCan(isPerson(actor), 'Sign in to leave an organisation.');
	// Leaving twice (a second click, an old tab) is not a refusal: they are already out.
	if (!(await findMembership(db, organisationId, actor.id)))
		return (await findOrganisationById(db, organisationId))
			? { ok: false, reason: 'not-a-member' }
			: { ok: false, reason: 'not-found' };
	return removeMember(db, actor, organisationId, { userId: actor.id });
}

export type InviteResult =
	| { ok: true; inviteId: string; email: string }
	| Invalid
	| Fail<'not-found'>
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Invites someone by email to join (its admins only). The email carries a link with a random
 * token; only its hash is kept. A new invitation to the same address replaces the old one.
 */
export async function inviteToOrganisation(
	db: Kysely<DB>,
	site: InviteSite,
	actor: Actor | null,
	organisationId: string,
	input: unknown,
	now = new Date()
): Promise<InviteResult> {
	const organisation = await findOrganisationById(db, organisationId);
	if (!organisation) return { ok: false, reason: 'not-found' };
	const membership = await membershipOf(db, actor, organisationId);
	assertCan(
		canInviteToOrganisation(actor, membership),
		'Only this organisation’s admins can invite people.'
	);
	const parsed = inviteSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { email, role } = parsed.data;

	const invitee = await findAccountByEmail(db, email);
	if (invitee && (await findMembership(db, organisationId, invitee.id)))
		return {
			ok: false,
			reason: 'invalid',
			errors: { email: `${email} is already a member of ${organisation.name}` }
		};
	if (isPerson(actor)) {
		const limited = await consumeRateLimit(
			db,
			`organisation-invite:user:${actor.id}`,
			INVITE_RATE_LIMIT,
			now
		);
		if (!limited.ok)
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	}

	const token = randomBytes(32).toString('base64url');
	const invite: OrganisationInvite = {
		id: newId(),
		organisation_id: organisationId,
		email,
		role,
		token_hash: hashInviteToken(token),
		invited_by: isPerson(actor) ? actor.id : null,
		created_at: now.toISOString(),
		expires_at: new Date(now.getTime() + INVITE_LIFETIME_DAYS * DAY_MS).toISOString(),
		accepted_at: null
	};
	await db.transaction().execute(async (trx) => {
		await deleteInvitesExpiredBefore(
			trx,
			new Date(now.getTime() - INVITE_RETENTION_DAYS * DAY_MS).toISOString()
		);
		await deleteOpenInvitesTo(trx, organisationId, email);
		await insertInvite(trx, invite);
		await enqueueMail(
			trx,
			inviteMail(site, {
				token,
				email,
				role,
				organisationName: organisation.name,
				inviterName: isPerson(actor) ? actor.name : null,
				expiresAt: invite.expires_at,
				userId: invitee?.id ?? null
			})
		);
		// The accepting link is a secret, so only the email carries it; this points to the
		// organisation's page.
		if (invitee) {
			await notify(trx, {
				recipientId: invitee.id,
				kind: 'invitation',
				subjectKey: `organisation:${organisationId}`,
				title: `${isPerson(actor) ? actor.name : 'Its admins'} invited you to join ${organisation.name}. Use the link in the email we sent you to accept.`,
				url: `/organisations/${organisation.slug}`,
				actorId: isPerson(actor) ? actor.id : null
			});
		}
	});
	return { ok: true, inviteId: invite.id, email };
}

/** Withdraws an invitation that has not been accepted (its admins only). */
export async function cancelInvite(
	db: Kysely<DB>,
	actor: Actor | null,
	organisationId: string,
	input: unknown
): Promise<{ ok: true; email: string } | Fail<'not-found'> | Invalid> {
	const organisation = await findOrganisationById(db, organisationId);
	if (!organisation) return { ok: false, reason: 'not-found' };
	const membership = await membershipOf(db, actor, organisationId);
	assertCan(
		canInviteToOrganisation(actor, membership),
		'Only this organisation’s admins can withdraw invitations.'
	);
	const parsed = inviteIdSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const invite = await findInviteById(db, parsed.data.inviteId);
	if (!invite || invite.organisation_id !== organisationId || invite.accepted_at)
		return { ok: false, reason: 'not-found' };
	await deleteInvite(db, invite.id);
	return { ok: true, email: invite.email };
}

export type InviteState = 'open' | 'expired' | 'used';

export interface InviteView {
	state: InviteState;
	organisation: Pick<Organisation, 'id' | 'slug' | 'name'>;
	role: OrganisationRole;
	email: string;
	expiresAt: string;
	/** Whether the viewer is signed in with the address the invitation was sent to. */
	forViewer: boolean;
	/** Whether the viewer already belongs to the organisation. */
	viewerIsMember: boolean;
}

function inviteState(invite: OrganisationInvite, now: Date): InviteState {
	if (invite.accepted_at) return 'used';
	if (new Date(invite.expires_at) <= now) return 'expired';
	return 'open';
}

/** What an invitation link says, for the page it opens. Undefined for a token we never sent. */
export async function viewInvite(
	db: Kysely<DB>,
	viewer: Actor | null,
	token: string,
	now = new Date()
): Promise<InviteView | undefined> {
	const invite = await findInviteByTokenHash(db, hashInviteToken(token));
	if (!invite) return undefined;
	const organisation = await findOrganisationById(db, invite.organisation_id);
	if (!organisation) return undefined;
	const membership = await membershipOf(db, viewer, organisation.id);
	return {
		state: inviteState(invite, now),
		organisation: { id: organisation.id, slug: organisation.slug, name: organisation.name },
		role: invite.role,
		email: invite.email,
		expiresAt: invite.expires_at,
		forViewer: canAcceptInvite(viewer, invite),
		viewerIsMember: !!membership
	};
}

export type AcceptResult =
	| { ok: true; organisation: Pick<Organisation, 'slug' | 'name'> }
	| Fail<'not-found' | 'expired' | 'used' | 'wrong-person'>;

/**
 * Accepts an emailed invitation: the signed-in person joins the organisation with the role
 * they were invited to. Only the person signed in with the (confirmed) address it was sent to
 * may accept; each invitation works once, for 14 days.
 */
export async function acceptInvite(
	db: Kysely<DB>,
	actor: Actor | null,
	token: string,
	now = new Date()
): Promise<AcceptResult> {
	assertCan(isPerson(actor), 'Sign in to accept an invitation.');
	const invite = await findInviteByTokenHash(db, hashInviteToken(token));
	if (!invite) return { ok: false, reason: 'not-found' };
	const state = inviteState(invite, now);
	if (state !== 'open') return { ok: false, reason: state };
	if (!canAcceptInvite(actor, invite)) return { ok: false, reason: 'wrong-person' };
	const organisation = await findOrganisationById(db, invite.organisation_id);
	if (!organisation) return { ok: false, reason: 'not-found' };
	return changeOrRefuse<AcceptResult, AcceptResult>(db, async (trx) => {
		if (!(await markInviteAccepted(trx, invite.id, now.toISOString())))
			throw new Refusal({ ok: false, reason: 'used' });
		const existing = await findMembership(trx, organisation.id, actor.id);
		if (!existing)
			await insertMember(trx, {
				organisation_id: organisation.id,
				user_id: actor.id,
				role: invite.role,
				joined_at: now.toISOString()
			});
		else if (existing.role === 'member' && invite.role === 'admin')
			await updateMemberRole(trx, organisation.id, actor.id, 'admin');
		return { ok: true, organisation: { slug: organisation.slug, name: organisation.name } };
	});
}
