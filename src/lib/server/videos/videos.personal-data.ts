import { readConfig } from '../config';
import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { videoStoreFor } from './videos.service';

// What videos keep about a person: who added each post's video. A video belongs with its post:
// it goes when the post goes (the row cascades; its file is removed after the deletion commits).

export const postVideo: PersonalDataRegistration = {
	feature: 'videos',
	table: 'post_video',
	personColumns: ['added_by'],
	kind: 'contribution',
	onDelete:
		'Videos on your posts go with your posts, or stay with them without your name, as you choose. Videos you added to other people’s posts stay, without your name.',
	exportAs: 'videosOnYourPosts',
	async export(db, person) {
		const rows = await db
			.selectFrom('post_video')
			.innerJoin('post', 'post.id', 'post_video.post_id')
			.select([
				'post.slug as post_slug',
				'post.title as post_title',
				'post_video.kind',
				'post_video.source_url',
				'post_video.file_id',
				'post_video.content_type',
				'post_video.byte_length',
				'post_video.captions_id',
				'post_video.transcript',
				'post_video.added_by',
				'post_video.created_at',
				'post_video.updated_at'
			])
			.where((eb) =>
				eb.or([eb('post.author_id', '=', person.id), eb('post_video.added_by', '=', person.id)])
			)
			.orderBy('post_video.created_at')
			.execute();
		// The metadata, with where to download each file (videos are too large to copy in here).
		return rows.map(({ file_id, content_type, captions_id, added_by, ...row }) => ({
			...row,
			addedByYou: added_by === person.id,
			file:
				file_id && content_type
					? `/media/video/${file_id}.${content_type === 'video/webm' ? 'webm' : 'mp4'}`
					: null,
			captions: captions_id ? `/media/video/${captions_id}.vtt` : null
		}));
	},
	async erase(trx, context) {
		const { person } = context;
		let changed = 0;
		if (context.contributions === 'remove') {
			// Their posts are removed (by the posts feature, after this): the videos go first, and
			// their files once the deletion has committed.
			const going = await trx
				.selectFrom('post_video')
				.innerJoin('post', 'post.id', 'post_video.post_id')
				.select(['post_video.id', 'post_video.file_id', 'post_video.content_type'])
				.where('post.author_id', '=', person.id)
				.execute();
			if (going.length) {
				await trx
					.deleteFrom('post_video')
					.where(
						'id',
						'in',
						going.map((v) => v.id)
					)
					.execute();
				const store = videoStoreFor(readConfig());
				context.afterCommit.push(async () => {
					for (const v of going) await store.remove(v.file_id, v.content_type);
				});
				changed += going.length;
			}
		}
		const result = await trx
			.updateTable('post_video')
			.set({ added_by: null })
			.where('added_by', '=', person.id)
			.executeTakeFirst();
		return changed + Number(result.numUpdatedRows);
	}
};

export const VIDEOS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [postVideo];
