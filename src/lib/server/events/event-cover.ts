import type { FieldErrors, FormValues } from '../forms';
import { valueOf } from '../forms';
import type { ProcessedPicture } from '../uploads/images';
import { readPictureEntry, type PictureField } from '../uploads/uploads';

/** The longest text alternative for a cover: a sentence or two, as screen readers read it. */
export const COVER_ALT_MAX = 250;

/** What the event form asks for a cover: a new picture, keeping or removing the one it has. */
export interface CoverPlan {
	/** A new picture to store, replacing any cover. */
	picture: ProcessedPicture | undefined;
	/** Take the current cover away (with no new one). */
	remove: boolean;
	/** The text alternative to keep, or null when there will be no cover. */
	alt: string | null;
	errors: FieldErrors;
}

/**
 * Reads the cover fields of the event form: the file (`cover`), its description (`coverAlt`,
 * required with a cover) and "remove the cover" (`removeCover`). Call only once the person may
 * change the event: it opens the picture.
 */
export async function readCover(
	field: PictureField | undefined,
	values: FormValues,
	hasCover: boolean
): Promise<CoverPlan> {
	const errors: FieldErrors = {};
	const upload = field
		? await readPictureEntry(field.entry, field.limit)
		: { kind: 'none' as const };
	if (upload.kind === 'refused') errors.cover = upload.message;
	const picture = upload.kind === 'new' ? upload.picture : undefined;
	const remove = !picture && valueOf(values, 'removeCover') === 'yes';
	const alt = (valueOf(values, 'coverAlt') ?? '').trim();
	const willHaveCover = upload.kind === 'new' || (hasCover && !remove) || upload.kind === 'refused';
	if (willHaveCover && !alt) {
		errors.coverAlt =
			'Describe the cover picture in a few words, for people who cannot see it. For example: Six people talking round a table.';
	} else if (alt.length > COVER_ALT_MAX) {
		errors.coverAlt = `Shorten the description to ${COVER_ALT_MAX} characters or fewer: it has ${alt.length}.`;
	}
	return { picture, remove, alt: willHaveCover ? alt : null, errors };
}
