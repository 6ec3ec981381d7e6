/**
 * "Our café's harvest!" → "our-cafes-harvest": a title in lower-case ASCII words joined by
 * hyphens, accents dropped, "&" read as "and", apostrophes left out, at most 60 characters and
 * never ending on a hyphen. May be empty; each feature chooses its own fallback and the words
 * its own pages use (so no post, pilot or case study takes the address of /blog/new and the like).
 */
export function slugWords(title: string): string {
	return title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/&/g, ' and ')
		.replace(/['’]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
}
