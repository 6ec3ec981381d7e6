import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import type { ImageStore } from '../uploads/image-store';
import { removeUnusedPostImages } from './posts.service';

/** Removes images uploaded for posts that no post shows, every hour until stopped. */
export function startPostsWorker(
	db: Kysely<DB>,
	store: ImageStore,
	intervalMs = 60 * 60_000
): PeriodicWork {
	return startPeriodicWork(
		'posts worker',
		() => removeUnusedPostImages(db, store),
		intervalMs,
		30_000
	);
}
