import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config';
import type { DB } from '../db/schema';
import { changeContent } from '../cache/content-version';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { isPerson } from '../auth/auth.permissions';
import { parseForm, toFormData, type FieldErrors, type FormValues } from '../forms';
import { bodySizeLimit, describeBytes } from '../http/body-guard';
import { newId, nowIso } from '../ids';
import { renderMarkdown } from '../markdown';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit/rate-limit.service';
import { VideoStore, VIDEO_EXTENSIONS, type StagedVideo } from './video-files';
import type { ReceivedFile } from './multipart';
import { embedUrl, parseVideoLink, siteName, watchUrl, type VideoLink } from './video-links';
import {
	deleteVideo,
	findPostBySlug,
	findVideoByPost,
	insertVideo,
	updateVideo,
	videoFilesOfPosts
} from './videos.repository';
import { canManagePostVideo, isPostAuthor } from './videos.permissions';
import { checkCaptions, videoFormSchema } from './videos.schema';
import type { PostVideo, PostVideoTable } from './videos.tables';
import type { VideoPlayerData } from '../../components/video-player.types';

/** Room in a request for the form's text and captions beside the video. */
const ROOM_FOR_TEXT = 1024 * 1024;

/** Saving a video is slow work for the server: a few a minute is plenty for a person. */
export const VIDEO_SAVE_RULE: RateLimitRule = { limit: 20, windowSeconds: 60 * 60 };

const CHOOSE_AGAIN = 'Choose the file again: for your safety, browsers do not keep it.';

/**
 * The largest video taken: VIDEO_MAX_BYTES, unless the server reads less than that in one
 * request (BODY_SIZE_LIMIT), when it is what fits.
 */
export function videoLimit(config: Pick<Config, 'videos'>, bodyLimit = bodySizeLimit()): number {
	return Math.max(0, Math.min(config.videos.maxBytes, bodyLimit - ROOM_FOR_TEXT));
}

export function videoStoreFor(config: Pick<Config, 'videos'>): VideoStore {
	return new VideoStore(config.videos.folder);
}

/** What a file field says under its label. */
export function videoFieldHint(limit: number): string {
	return `An MP4 or WebM video, up to ${describeBytes(limit)}. Large files take a while to send on a slow connection.`;
}

/** Everything the video player needs (the type lives beside the component). */
export type { VideoPlayerData };

function linkOf(video: PostVideo): VideoLink | undefined {
	if (!video.provider_id) return undefined;
	if (video.kind === 'youtube') return { kind: 'youtube', id: video.provider_id };
	if (video.kind === 'vimeo') {
		const [id, hash] = video.provider_id.split('/');
		return hash ? { kind: 'vimeo', id: id!, hash } : { kind: 'vimeo', id: id! };
	}
	if (video.kind === 'peertube' && video.provider_host) {
		return { kind: 'peertube', host: video.provider_host, id: video.provider_id };
	}
	return undefined;
}

function playerData(video: PostVideo, title: string): VideoPlayerData {
	const link = linkOf(video);
	const extension = video.content_type
		? VIDEO_EXTENSIONS[video.content_type as keyof typeof VIDEO_EXTENSIONS]
		: undefined;
	return {
		id: video.id,
		kind: video.kind,
		title,
		site: link ? siteName(link) : null,
		watchUrl: link ? watchUrl(link) : null,
		embedUrl: link ? (embedUrl(link) ?? null) : null,
		src:
			video.kind === 'upload' && video.file_id && extension
				? `/media/video/${video.file_id}.${extension}`
				: null,
		contentType: video.content_type,
		captionsUrl: video.captions_id ? `/media/video/${video.captions_id}.vtt` : null,
		transcriptHtml: video.transcript?.trim()
			? renderMarkdown(video.transcript, { headingOffset: 2 })
			: null
	};
}

/** The post page's video, as `<VideoPlayer video={…} />` takes it, or null when it has none. */
export async function videoForPost(
	db: Kysely<DB>,
	postId: string
): Promise<VideoPlayerData | null> {
	const row = await db
		.selectFrom('post_video')
		.innerJoin('post', 'post.id', 'post_video.post_id')
		.selectAll('post_video')
		.select('post.title as post_title')
		.where('post_video.post_id', '=', postId)
		.executeTakeFirst();
	if (!row) return null;
	const { post_title, ...video } = row;
	return playerData(video, post_title);
}

/** The video page for its author or a curator: the post, its video, and whether to nudge. */
export async function getVideoPage(db: Kysely<DB>, actor: Actor, slug: string) {
	const post = await findPostBySlug(db, slug);
	if (!post) return undefined;
	assertCan(
		canManagePostVideo(actor, post),
		'Only the post’s author or a curator can change its video.'
	);
	const video = await findVideoByPost(db, post.id);
	return {
		post,
		video: video ? playerData(video, post.title) : null,
		current: video
			? {
					kind: video.kind,
					sourceUrl: video.source_url,
					byteLength: video.byte_length,
					hasCaptions: !!video.captions_id,
					transcript: video.transcript ?? ''
				}
			: null,
		/** A gentle prompt, for the author only, when the video has no transcript. */
		askForTranscript: !!video && !video.transcript?.trim() && isPostAuthor(actor, post)
	};
}

/**
 * Whether the post exists, and (throwing otherwise) that the actor may change its video: checked
 * before a large upload is read, so nobody else's upload is taken in at all.
 */
export async function mayChangeVideo(db: Kysely<DB>, actor: Actor, slug: string): Promise<boolean> {
	const post = await findPostBySlug(db, slug);
	if (!post) return false;
	assertCan(
		canManagePostVideo(actor, post),
		'Only the post’s author or a curator can change its video.'
	);
	return true;
}

/** The files sent with the video form, unread until the sender is known to be allowed. */
export interface VideoFiles {
	/** As SvelteKit reads it, or streamed to the video folder by `readMultipartForm`. */
	video: FormDataEntryValue | ReceivedFile | null;
	captions: FormDataEntryValue | null;
}

export type SaveVideoResult =
	| { ok: true }
	| { ok: false; reason: 'not_found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors };

/** The form's fields, top to bottom, so the error summary reads in the same order. */
const FIELD_ORDER = ['form', 'link', 'file', 'captions', 'removeCaptions', 'transcript'];

function inFormOrder(errors: FieldErrors): FieldErrors {
	const rank = (name: string) => FIELD_ORDER.indexOf(name) + 1 || FIELD_ORDER.length + 1;
	return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/** A file field's content: nothing chosen, a file, or why it cannot be used. */
function fileOf<F extends File | ReceivedFile>(
	value: F | string | null,
	what: string
): F | null | string {
	if (value === null || value === '') return null;
	if (typeof value === 'string') return `Choose ${what} to send. ${CHOOSE_AGAIN}`;
	if (value.size === 0 && value.name === '') return null;
	if (value.size === 0) return `This file is empty. ${CHOOSE_AGAIN}`;
	return value;
}

/**
 * Adds or replaces a post's video (a link or an upload), its captions and its transcript.
 * Every problem comes back as a message beside its field; nothing is saved unless all is well.
 */
export async function saveVideo(
	db: Kysely<DB>,
	store: VideoStore,
	limit: number,
	actor: Actor,
	slug: string,
	values: FormValues,
	files: VideoFiles
): Promise<SaveVideoResult> {
	const post = await findPostBySlug(db, slug);
	if (!post) return { ok: false, reason: 'not_found' };
	assertCan(
		canManagePostVideo(actor, post),
		'Only the post’s author or a curator can change its video.'
	);

	const parsed = parseForm(videoFormSchema, toFormData(values));
	const data = parsed.ok ? parsed.data : parsed.partial;
	const errors: FieldErrors = {};
	if (isPerson(actor)) {
		const allowed = await consumeRateLimit(db, `video-save:user:${actor.id}`, VIDEO_SAVE_RULE);
		if (!allowed.ok) {
			errors.form = `You have changed videos many times in the last hour. Try again in ${Math.ceil(allowed.retryAfterSeconds / 60)} minutes.`;
		}
	}
	const current = await findVideoByPost(db, post.id);

	const linkText = data.link ?? '';
	let link: VideoLink | undefined;
	if (linkText) {
		const result = parseVideoLink(linkText);
		if (result.ok) link = result.link;
		else errors.link = result.message;
	}

	const upload = fileOf(files.video, 'a video file');
	if (typeof upload === 'string') errors.file = upload;
	else if (upload && linkText) {
		errors.file = `Give a link or a file, not both: empty the link box to upload this file. ${CHOOSE_AGAIN}`;
	} else if (upload && upload.size > limit) {
		errors.file = `This video is ${describeBytes(upload.size)}. The most we take is ${describeBytes(limit)}. Choose a shorter or smaller video. ${CHOOSE_AGAIN}`;
	}
	if (!current && !linkText && !upload && !errors.file) {
		errors.link = 'Give a link to the video, or choose a video file to upload.';
	}

	let captions: string | undefined;
	const captionsFile = fileOf(files.captions, 'a captions file');
	if (typeof captionsFile === 'string') errors.captions = captionsFile;
	else if (captionsFile) {
		const checked = checkCaptions(new Uint8Array(await captionsFile.arrayBuffer()));
		if (checked.ok) captions = checked.text;
		else errors.captions = `${checked.message} ${CHOOSE_AGAIN}`;
	}

	// The video is written (and its content checked) only when it is the one thing left to check.
	let staged: StagedVideo | undefined;
	if (upload && typeof upload !== 'string' && !errors.file) {
		const result =
			'kind' in upload ? await store.adopt(upload.path) : await store.stage(upload.stream(), limit);
		if (result.ok) staged = result.video;
		else {
			errors.file =
				result.message === 'too large'
					? `This video is larger than ${describeBytes(limit)}, the most we take. Choose a smaller video. ${CHOOSE_AGAIN}`
					: `${result.message} ${CHOOSE_AGAIN}`;
		}
	}

	const problems = inFormOrder({ ...errors, ...(parsed.ok ? {} : parsed.errors) });
	if (Object.keys(problems).length) {
		if (staged) await store.remove(staged.fileId, staged.contentType);
		return { ok: false, reason: 'invalid', errors: problems };
	}

	const now = nowIso();
	const changes: Partial<PostVideoTable> = {
		transcript: data.transcript?.trim() ? data.transcript : null,
		updated_at: now
	};
	if (captions !== undefined) Object.assign(changes, { captions, captions_id: newId() });
	else if (data.removeCaptions) Object.assign(changes, { captions: null, captions_id: null });
	if (link) {
		Object.assign(changes, {
			kind: link.kind,
			provider_id: link.kind === 'vimeo' && link.hash ? `${link.id}/${link.hash}` : link.id,
			provider_host: link.kind === 'peertube' ? link.host : null,
			source_url: watchUrl(link),
			file_id: null,
			content_type: null,
			byte_length: null
		});
	} else if (staged) {
		Object.assign(changes, {
			kind: 'upload',
			provider_id: null,
			provider_host: null,
			source_url: null,
			file_id: staged.fileId,
			content_type: staged.contentType,
			byte_length: staged.byteLength
		});
	}
	const replacesFile = !!current?.file_id && (!!link || !!staged);
	try {
		await changeContent(db, async (trx) => {
			if (current) await updateVideo(trx, current.id, changes);
			else {
				await insertVideo(trx, {
					id: newId(),
					post_id: post.id,
					kind: changes.kind!,
					provider_id: changes.provider_id ?? null,
					provider_host: changes.provider_host ?? null,
					source_url: changes.source_url ?? null,
					file_id: changes.file_id ?? null,
					content_type: changes.content_type ?? null,
					byte_length: changes.byte_length ?? null,
					captions: changes.captions ?? null,
					captions_id: changes.captions_id ?? null,
					transcript: changes.transcript ?? null,
					added_by: isPerson(actor) ? actor.id : null,
					created_at: now,
					updated_at: now
				});
			}
		});
	} catch (failure) {
		if (staged) await store.remove(staged.fileId, staged.contentType);
		throw failure;
	}
	if (replacesFile) await store.remove(current!.file_id, current!.content_type);
	return { ok: true };
}

/** Removes a post's video, with its captions and transcript (and its file, once that is done). */
export async function removeVideo(
	db: Kysely<DB>,
	store: VideoStore,
	actor: Actor,
	slug: string
): Promise<{ ok: true; removed: boolean } | { ok: false; reason: 'not_found' }> {
	const post = await findPostBySlug(db, slug);
	if (!post) return { ok: false, reason: 'not_found' };
	assertCan(
		canManagePostVideo(actor, post),
		'Only the post’s author or a curator can remove its video.'
	);
	const current = await findVideoByPost(db, post.id);
	if (!current) return { ok: true, removed: false };
	await changeContent(db, (trx) => deleteVideo(trx, current.id));
	await store.remove(current.file_id, current.content_type);
	return { ok: true, removed: true };
}

/**
 * For whatever deletes posts (the posts feature, an account's deletion): call inside its
 * transaction, before the posts go; returns what removes their video files, for after it commits.
 * (The rows go with their posts: post_video.post_id cascades.)
 */
export async function videoFilesToRemoveWith(
	trx: Kysely<DB> | Transaction<DB>,
	store: VideoStore,
	postIds: readonly string[]
): Promise<() => Promise<void>> {
	const files = await videoFilesOfPosts(trx, postIds);
	return async () => {
		for (const file of files) await store.remove(file.file_id, file.content_type);
	};
}
