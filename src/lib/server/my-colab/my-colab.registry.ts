import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { myChecksRun, mySavedChecks } from '../assessments/my-checks.service';
import {
	myCafeTopics,
	myHostedEvents,
	myOffers,
	myPlaces,
	myTalks,
	myWaitlists
} from '../events/my-events.service';
import { nowIso } from '../ids';
import { myChampionRequests } from '../champions/my-champions.service';
import { myInvitations, myOrganisations } from '../organisations/my-organisations.service';
import { myEnquiries } from '../enquiries/enquiries.my-colab';
import type { LoadedSection, MyColabSection } from './my-colab.types';

/**
 * Every section of My CoLab. A feature adds its part here, with a loader from its own service
 * (posts, requests, decisions awaiting a response…); /me and the home page show whatever is
 * listed, in `order`.
 */
export const MY_COLAB_SECTIONS: readonly MyColabSection[] = [
	{
		id: 'offers',
		title: 'Places waiting for you',
		order: 10,
		empty: {
			text: 'No places are waiting for you. When a place frees up at an event whose waitlist you are on, it shows here and we email you.'
		},
		load: myOffers
	},
	{
		id: 'places',
		title: 'Your places',
		order: 20,
		empty: {
			text: 'You have no places booked.',
			link: { href: '/events', label: 'Find an event' }
		},
		load: myPlaces
	},
	{
		id: 'waitlists',
		title: 'Waitlists you are on',
		order: 30,
		empty: {
			text: 'You are not on any waitlist. When an event is full, you can join its waitlist.'
		},
		load: myWaitlists
	},
	{
		id: 'hosting',
		title: 'Events you host',
		order: 40,
		empty: {
			text: 'You are not hosting any events that are coming up.',
			link: { href: '/events/new', label: 'Host an event' }
		},
		load: myHostedEvents
	},
	{
		id: 'cafe-topics',
		title: 'Your café topics',
		order: 50,
		empty: {
			text: 'You have not proposed a topic at a Knowledge Café. At a café, the people taking part choose the topics.'
		},
		load: myCafeTopics
	},
	{
		id: 'talks',
		title: 'Your talks',
		order: 55,
		empty: {
			text: 'You have not offered a talk. At Lightning Talks, anyone can give a five-minute talk.'
		},
		load: myTalks
	},
	{
		id: 'checks-run',
		title: 'Checks you run',
		order: 60,
		empty: {
			text: 'You do not run any co-production checks.',
			link: { href: '/assessments/new', label: 'Start a check with others' }
		},
		load: myChecksRun
	},
	{
		id: 'checks-saved',
		title: 'Checks you saved',
		order: 65,
		empty: {
			text: 'You have not saved a check. Take the check on your own, then save it to come back to it.',
			link: { href: '/assessments/check', label: 'Take the check' }
		},
		load: mySavedChecks
	},
	{
		id: 'champion-requests',
		title: 'Requests to champions',
		order: 67,
		empty: {
			text: 'You have no open requests. Champions are members who help others with co-production.',
			link: { href: '/champions', label: 'Find a champion' }
		},
		load: myChampionRequests
	},
	{
		id: 'organisations',
		title: 'Your organisations',
		order: 70,
		empty: {
			text: 'You do not belong to an organisation here. An admin of one can invite you, or you can add yours.',
			link: { href: '/organisations/new', label: 'Add an organisation' }
		},
		load: myOrganisations
	},
	{
		id: 'invitations',
		title: 'Invitations to organisations',
		order: 75,
		empty: { text: 'No invitations are waiting for you.' },
		load: myInvitations
	},
	{
		id: 'enquiries',
		title: 'Enquiries you are on',
		order: 78,
		empty: {
			text: 'You are not on an enquiry team. Any member can start an enquiry and invite others onto its team.',
			link: { href: '/enquiries', label: 'See the enquiries' }
		},
		load: myEnquiries
	}
].sort((a, b) => a.order - b.order);

/** How many items each section shows on /me (and how many a page of its full list holds). */
export const ITEMS_PER_SECTION = 5;
export const ITEMS_PER_PAGE = 20;

export function findSection(id: string): MyColabSection | undefined {
	return MY_COLAB_SECTIONS.find((s) => s.id === id);
}

interface LoadOptions {
	timeZone: string;
	now?: string;
	/** Only these sections (all when left out), e.g. the home page's summary. */
	only?: readonly string[];
	/** Items per section. */
	limit?: number;
}

/**
 * The member's sections, each with at most `limit` items and a link to the rest. The sections
 * load at the same time, each in a fixed number of queries, so the page costs the same number
 * of queries however much a member has.
 */
export async function loadMyColab(
	db: Kysely<DB>,
	member: SessionUser,
	options: LoadOptions
): Promise<LoadedSection[]> {
	const now = options.now ?? nowIso();
	const limit = options.limit ?? ITEMS_PER_SECTION;
	const sections = options.only
		? MY_COLAB_SECTIONS.filter((s) => options.only!.includes(s.id))
		: MY_COLAB_SECTIONS;
	return Promise.all(
		sections.map(async (section) => {
			// One more than shown says whether there are more.
			const items = await section.load(db, member, {
				limit: limit + 1,
				offset: 0,
				now,
				timeZone: options.timeZone
			});
			return {
				id: section.id,
				title: section.title,
				items: items.slice(0, limit),
				more:
					items.length > limit
						? { href: `/me/${section.id}`, label: `See all ${section.title.toLowerCase()}` }
						: null,
				empty: section.empty
			};
		})
	);
}

export interface SectionPage {
	section: LoadedSection;
	page: number;
	hasNext: boolean;
}

/** One page of a section's full list (undefined past its end, or for a section not listed). */
export async function loadMyColabSectionPage(
	db: Kysely<DB>,
	member: SessionUser,
	sectionId: string,
	page: number,
	options: { timeZone: string; now?: string }
): Promise<SectionPage | undefined> {
	const section = findSection(sectionId);
	if (!section || !Number.isInteger(page) || page < 1 || page > 1000) return undefined;
	const items = await section.load(db, member, {
		limit: ITEMS_PER_PAGE + 1,
		offset: (page - 1) * ITEMS_PER_PAGE,
		now: options.now ?? nowIso(),
		timeZone: options.timeZone
	});
	if (page > 1 && !items.length) return undefined;
	return {
		section: {
			id: section.id,
			title: section.title,
			items: items.slice(0, ITEMS_PER_PAGE),
			more: null,
			empty: section.empty
		},
		page,
		hasNext: items.length > ITEMS_PER_PAGE
	};
}
