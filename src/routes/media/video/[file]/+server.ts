import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { isVideoFileId } from '$lib/server/videos/video-files';
import { serveFile } from '$lib/server/videos/video-ranges';
import { findCaptions, findVideoFile } from '$lib/server/videos/videos.repository';
import { videoStoreFor } from '$lib/server/videos/videos.service';
import type { RequestHandler } from './$types';

/**
 * Uploaded videos (/media/video/<file id>.mp4 or .webm), with range requests so people can skip
 * through them, and captions (/media/video/<captions id>.vtt). Each id is new for every upload,
 * so browsers and proxies may keep them for a year. Any instance answers from the shared folder.
 */
const answer: RequestHandler = async ({ params, request }) => {
	const match = /^([A-Za-z0-9_-]{22})\.(mp4|webm|vtt)$/.exec(params.file);
	if (!match || !isVideoFileId(match[1]!)) error(404, 'Page not found');
	const [, id, extension] = match as unknown as [string, string, string];
	const { db } = app().database;
	if (extension === 'vtt') {
		const found = await findCaptions(db, id);
		if (!found?.captions) error(404, 'Page not found');
		const bytes = new TextEncoder().encode(found.captions);
		return new Response(request.method === 'HEAD' ? null : bytes, {
			headers: {
				'content-type': 'text/vtt; charset=utf-8',
				'content-length': String(bytes.byteLength),
				'cache-control': 'public, max-age=31536000, immutable',
				'x-content-type-options': 'nosniff',
				'content-security-policy': "default-src 'none'; sandbox"
			}
		});
	}
	const video = await findVideoFile(db, id);
	if (!video?.content_type || !video.content_type.endsWith(extension)) error(404, 'Page not found');
	const file = videoStoreFor(app().config).pathOf(id, video.content_type);
	const response = file && (await serveFile(request, file, video.content_type, `"${id}"`));
	if (!response) error(404, 'Page not found');
	return response;
};

export const GET = answer;
export const HEAD = answer;
