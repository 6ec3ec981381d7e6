/**
 * A stored picture as pages show it: an <img> with every width it was made in, so the browser
 * picks the smallest that fills its space, and its size, so the page does not jump as it loads.
 */
export interface Picture {
	src: string;
	srcset: string;
	width: number;
	height: number;
	alt: string;
}

/** The address of one width of a stored picture. Never changes, so it is cached for a year. */
export function pictureUrl(id: string, width: number): string {
	return `/media/${id}/${width}.webp`;
}

/** A stored picture (its image row's id, widths and size) as an <img>'s attributes. */
export function toPicture(
	image: { id: string; widths: string; width: number; height: number } | null | undefined,
	alt: string
): Picture | null {
	if (!image) return null;
	const widths = image.widths.split(',').map(Number);
	return {
		src: pictureUrl(image.id, widths.at(-1)!),
		srcset: widths.map((w) => `${pictureUrl(image.id, w)} ${w}w`).join(', '),
		width: image.width,
		height: image.height,
		alt
	};
}
