// Each event format's colour and icon, chosen by curators from these fixed lists. A format is
// always shown with its name in text: the colour and the icon only help people find it again.
// The colours' values live in app.css (`.format-look--<key>`), one for light and one for dark
// screens, each readable as text on the page's backgrounds (format-looks.spec.ts checks them).

export const FORMAT_COLOURS = [
	'blue',
	'green',
	'purple',
	'red',
	'orange',
	'teal',
	'pink',
	'brown',
	'yellow',
	'slate'
] as const;
export type FormatColour = (typeof FORMAT_COLOURS)[number];
export const FORMAT_COLOUR_LABELS: Record<FormatColour, string> = {
	blue: 'Blue',
	green: 'Green',
	purple: 'Purple',
	red: 'Red',
	orange: 'Orange',
	teal: 'Teal',
	pink: 'Pink',
	brown: 'Brown',
	yellow: 'Dark yellow',
	slate: 'Grey'
};

/**
 * Icons as SVG path data on a 24 × 24 grid, drawn with a 2-unit stroke: inline in the page (no
 * icon font, no files to fetch, nothing the content security policy would block).
 */
export const FORMAT_ICON_PATHS = {
	chat: 'M4 4h16v11H10l-6 5z M8 8.5h8 M8 11.5h5',
	cup: 'M4 8h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5z M16 9.5h1.5a2.5 2.5 0 0 1 0 5H16 M3 21h14 M8 2.5v3 M12 2.5v3',
	bolt: 'M13 2 4 14h7l-1 8 9-12h-7z',
	search: 'M10.5 3.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M15.3 15.3 21 21',
	people:
		'M9 11a3.5 3.5 0 1 0 0-7a3.5 3.5 0 1 0 0 7z M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6 M16 4.3a3.2 3.2 0 0 1 0 6.4 M18 14.2c2.2.6 3.5 2.8 3.5 5.8',
	star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1-5.4-2.9-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z',
	microphone:
		'M12 2.5a3 3 0 0 1 3 3V11a3 3 0 0 1-6 0V5.5a3 3 0 0 1 3-3z M5.5 10.5a6.5 6.5 0 0 0 13 0 M12 17v4 M8.5 21h7',
	book: 'M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5z M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5 M8 7.5h8',
	leaf: 'M5 19C5 10 11 4.5 20 4c0 9-5.5 15-15 15z M5 19l8.5-8.5',
	heart: 'M12 20.5s-8-4.6-8-10.5a4.3 4.3 0 0 1 8-2.3 4.3 4.3 0 0 1 8 2.3c0 5.9-8 10.5-8 10.5z',
	flag: 'M5 22V3.5 M5 4h13l-2.5 4.5L18 13H5',
	calendar: 'M3.5 5.5h17v15h-17z M3.5 10h17 M8 2.5v5 M16 2.5v5'
} as const;
export type FormatIcon = keyof typeof FORMAT_ICON_PATHS;
export const FORMAT_ICONS = Object.keys(FORMAT_ICON_PATHS) as [FormatIcon, ...FormatIcon[]];
export const FORMAT_ICON_LABELS: Record<FormatIcon, string> = {
	chat: 'Speech bubble',
	cup: 'Cup',
	bolt: 'Lightning bolt',
	search: 'Magnifying glass',
	people: 'People',
	star: 'Star',
	microphone: 'Microphone',
	book: 'Book',
	leaf: 'Leaf',
	heart: 'Heart',
	flag: 'Flag',
	calendar: 'Calendar'
};

/** What a new format looks like until a curator chooses (the same as the columns' defaults). */
export const DEFAULT_FORMAT_LOOK = { colour: 'slate', icon: 'calendar' } as const satisfies {
	colour: FormatColour;
	icon: FormatIcon;
};
