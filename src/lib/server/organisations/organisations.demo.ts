import type { Kysely } from 'kysely';
import { changeContent } from '../cache/content-version';
import { refreshOrganisationSearch } from './organisations.search';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { seedProfiles, type DemoProfile } from '../profiles/profiles.demo';
import {
	findMembership,
	findOrganisationBySlug,
	insertMember,
	insertOrganisation
} from './organisations.repository';
import type { OrganisationRole } from './organisations.tables';

/** The demo's organisations: the kinds of partner a local co-production network has. */
export const DEMO_ORGANISATIONS = [
	{
		slug: 'riverside-carers-centre',
		name: 'Riverside Carers’ Centre',
		description:
			'A local charity supporting unpaid carers of all ages: advice, breaks, peer groups and a ' +
			'voice in how services for carers are designed.',
		website: 'https://carers.example.org/'
	},
	{
		slug: 'adult-social-care-borough-council',
		name: 'Adult Social Care – Borough Council',
		description:
			'The council team that assesses needs and arranges care and support. We are working ' +
			'with people who use our services to redesign how assessments feel.',
		website: 'https://council.example.org/adult-social-care'
	},
	{
		slug: 'northgate-nhs-foundation-trust',
		name: 'Northgate NHS Foundation Trust',
		description:
			'Community and mental health services across the borough. Our patient partnership team ' +
			'links staff with people who have lived experience.',
		website: 'https://nhs-trust.example.org/'
	},
	{
		slug: 'voluntary-action-borough',
		name: 'Voluntary Action Borough',
		description:
			'The council for voluntary service: we support local charities, community groups and ' +
			'volunteers, and host the co-production network.',
		website: null
	}
] as const;

/** The address of one of the demo's organisations. */
export type DemoOrganisationSlug = (typeof DEMO_ORGANISATIONS)[number]['slug'];

/**
 * Seeds demo profiles and organisations for the given people (idempotent: organisations are
 * found by address, memberships and profiles are only added when missing). The first person
 * admins every organisation, so the demo always has someone to manage each. The others join the
 * organisations they name (so a carer is in the carers' centre), or in turn when they name none;
 * the second person of each organisation is a second admin.
 */
export async function seedProfilesAndOrganisations(
	db: Kysely<DB>,
	people: ReadonlyArray<{
		id: string;
		profile?: DemoProfile;
		organisations?: readonly DemoOrganisationSlug[];
	}>
): Promise<void> {
	await changeContent(db, async (trx) => {
		await seedProfiles(trx, people);
		for (const [index, demo] of DEMO_ORGANISATIONS.entries()) {
			const now = nowIso();
			let organisation = await findOrganisationBySlug(trx, demo.slug);
			if (!organisation) {
				organisation = {
					id: newId(),
					slug: demo.slug,
					name: demo.name,
					description: demo.description,
					website: demo.website,
					logo_image_id: null,
					created_by: people[0]?.id ?? null,
					created_at: now,
					updated_at: now
				};
				await insertOrganisation(trx, organisation);
			}
			await refreshOrganisationSearch(trx, organisation.id);
			const members: Array<{ id: string; role: OrganisationRole }> = [];
			if (people[0]) members.push({ id: people[0].id, role: 'admin' });
			const others = people.slice(1);
			for (const [i, person] of others.entries()) {
				const joins = person.organisations
					? person.organisations.includes(demo.slug)
					: // Spread the others out: each organisation gets every person whose turn it is.
						i % DEMO_ORGANISATIONS.length === index || i % 2 === index % 2;
				if (joins) members.push({ id: person.id, role: members.length === 1 ? 'admin' : 'member' });
			}
			for (const member of members) {
				if (await findMembership(trx, organisation.id, member.id)) continue;
				await insertMember(trx, {
					organisation_id: organisation.id,
					user_id: member.id,
					role: member.role,
					joined_at: now
				});
			}
		}
	});
}
