// The words events use, shared by the server and the pages (nothing secret here).

export const EVENT_TOOLS = ['none', 'cafe', 'lightning'] as const;
/** Which format's own tools an event page offers. */
export type EventTools = (typeof EVENT_TOOLS)[number];

export const EVENT_MODES = ['in_person', 'online', 'hybrid'] as const;
export type EventMode = (typeof EVENT_MODES)[number];
export const EVENT_MODE_LABELS: Record<EventMode, string> = {
	in_person: 'In person',
	online: 'Online',
	hybrid: 'In person and online'
};

export const EVENT_STATUSES = ['scheduled', 'cancelled', 'completed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_VISIBILITIES = ['public', 'unlisted'] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];

export type EventApproval = 'approved' | 'pending';

/** A venue's access features, as columns of `event` (access_<key>). */
export const ACCESS_FEATURES = [
	'step_free',
	'hearing_loop',
	'accessible_toilet',
	'quiet_room',
	'parking',
	'public_transport'
] as const;
export type AccessFeature = (typeof ACCESS_FEATURES)[number];
export const ACCESS_FEATURE_LABELS: Record<AccessFeature, string> = {
	step_free: 'Step-free access',
	hearing_loop: 'Hearing loop',
	accessible_toilet: 'Accessible toilet',
	quiet_room: 'Quiet room',
	parking: 'Parking nearby',
	public_transport: 'Near public transport'
};

/** What someone may ask for when they register, as columns of `event_registration` (need_<key>). */
export const ACCESS_NEEDS = [
	'bsl',
	'step_free',
	'hearing_loop',
	'large_print',
	'dietary',
	'childcare',
	'companion',
	'other'
] as const;
export type AccessNeed = (typeof ACCESS_NEEDS)[number];
export const ACCESS_NEED_LABELS: Record<AccessNeed, string> = {
	bsl: 'A British Sign Language (BSL) interpreter',
	step_free: 'Step-free access',
	hearing_loop: 'A hearing loop',
	large_print: 'Papers in large print',
	dietary: 'Food for a dietary need',
	childcare: 'Childcare',
	companion: 'A place for a companion or carer',
	other: 'Something else'
};
/**
 * Needs the host can only meet by talking to the person: for these the host sees the name and
 * the details. For the others the host sees only how many people asked.
 */
export const NEEDS_NEEDING_CONTACT: readonly AccessNeed[] = ['dietary', 'childcare', 'other'];

/** The venue's access features an event has, as plain-English labels. */
export function accessFeatureList(event: Record<`access_${AccessFeature}`, number>): string[] {
	return ACCESS_FEATURES.filter((f) => event[`access_${f}`] === 1).map(
		(f) => ACCESS_FEATURE_LABELS[f]
	);
}
