// The champions' words, shared by the server and the pages (nothing secret here).

export type AvailabilityKey = 'breakfast' | 'lunch' | 'evening' | 'online';

export const AVAILABILITY_LABELS: Record<AvailabilityKey, string> = {
	breakfast: 'Breakfast time',
	lunch: 'Lunchtime',
	evening: 'Evenings',
	online: 'Online'
};

/** A champion as lists and pages show them (never their contact details). */
export interface ChampionCardData {
	id: string;
	name: string;
	helpWith: string;
	availability: AvailabilityKey[];
	serviceAreas: Array<{ id: string; label: string }>;
	dimensions: Array<{ key: string; title: string }>;
	barriers: Array<{ id: string; label: string }>;
}
