import { postingSuspendedUntil } from '../moderation/moderation.service';
import { notify } from '../notifications/notifications.service';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import { localToUtc } from '../events/event-time';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { renderMarkdown } from '../markdown';
import {
	mayRepresentOrganisation,
	organisationsActorMayRepresent
} from '../organisations/organisations.service';
import { consumeRateLimit, describeWait } from '../rate-limit/rate-limit.service';
import { readSetting, writeSetting } from '../settings/settings.repository';
import { findImages, type ImageStore } from '../uploads/image-store';
import { readPictureEntry, type PictureField } from '../uploads/uploads';
import {
	canEditPost,
	canPostForOrganisation,
	canReadPost,
	canReviewPosts,
	canSeePostHistory,
	canWritePosts,
	isPostCurator
} from './posts.permissions';
import {
	countApprovedPosts,
	findPostById,
	findPostBySlug,
	findPersonName,
	findPostSlugsLike,
	insertPost,
	insertPostUpload,
	insertPostVersion,
	listUnusedPostUploads,
	deletePostUploadIfUnused,
	listEventsOfPerson,
	listPostsOfAuthor,
	listPublishedPostsOfAuthor,
	listPostThemeIds,
	listPostVersions,
	listRecentPublished,
	listThemes,
	listWaitingPosts,
	setPostImages,
	setPostThemes,
	updatePostRow,
	type PostListItem
} from './posts.repository';
import { imageAltSchema, type PostInput } from './posts.schema';
import type { Post, PostStatus } from './posts.tables';
import { refreshPostSearch } from './posts.search';
import { countLinks, countWords, imagesWithoutAlt, markdownImages } from './posts.writing-hints';
import { slugWords } from '../slugs';

/** Settings (in instance_setting) and their defaults. */
export const FIRST_POSTS_WAIT_SETTING = 'posts.first_posts_wait';
export const LINK_LIMIT_SETTING = 'posts.new_member_link_limit';
export const DEFAULT_FIRST_POSTS_WAIT = 1;
export const DEFAULT_LINK_LIMIT = 5;
/** A member is "new" (their many-link posts wait) until this many of their posts were published. */
export const NEW_MEMBER_POSTS = 3;
/** Saves, publishes and images a member may send in an hour. */
export const POSTING_RATE = { limit: 60, windowSeconds: 3600 };
export const POSTS_PAGE_SIZE = 20;

export const ALT_TEXT_MISSING =
	'Every image needs a description (alt text) before the post is published. Write it between the square brackets: ![what the image shows](…).';

type Db = Kysely<DB> | Transaction<DB>;

export interface PostSettings {
	firstPostsWait: number;
	linkLimit: number;
}

function settingNumber(value: string | undefined, fallback: number): number {
	const n = Number(value);
	return value !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** The trust settings, with their defaults when none is stored. */
export async function readPostSettings(db: Db): Promise<PostSettings> {
	return {
		firstPostsWait: settingNumber(
			await readSetting(db, FIRST_POSTS_WAIT_SETTING),
			DEFAULT_FIRST_POSTS_WAIT
		),
		linkLimit: settingNumber(await readSetting(db, LINK_LIMIT_SETTING), DEFAULT_LINK_LIMIT)
	};
}

/** Curators change the trust settings. */
export async function writePostSettings(
	db: Db,
	actor: Actor | null | undefined,
	settings: PostSettings
): Promise<void> {
	assertCan(isPostCurator(actor), 'Only curators change how new members’ posts are reviewed.');
	await writeSetting(db, FIRST_POSTS_WAIT_SETTING, String(settings.firstPostsWait));
	await writeSetting(db, LINK_LIMIT_SETTING, String(settings.linkLimit));
}

/** "Our café's harvest!" → "our-cafes-harvest"; never empty. */
export function postSlugBase(title: string): string {
	const slug = slugWords(title);
	// Words the blog's own pages use cannot be a post's address.
	if (!slug || ['new', 'mine', 'review', 'themes', 'feed', 'preview'].includes(slug))
		return `post-${slug || 'untitled'}`;
	return slug;
}

async function freeSlug(db: Db, title: string): Promise<string> {
	const base = postSlugBase(title);
	const taken = new Set(await findPostSlugsLike(db, base));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Image ids the body shows from /media, in order, without repeats. */
export function bodyImageIds(body: string): string[] {
	const ids: string[] = [];
	for (const { url } of markdownImages(body)) {
		const id = /^\/media\/([A-Za-z0-9_-]{22})\/\d{1,5}\.webp$/.exec(url)?.[1];
		if (id && !ids.includes(id)) ids.push(id);
	}
	return ids;
}

/**
 * A post's Markdown as safe HTML, with its own uploaded images (`/media/<id>/<width>.webp`)
 * shown as pictures. Everything else goes through `renderMarkdown` (which never loads an image
 * from elsewhere: those become links). Alt text is escaped; image ids are checked by pattern.
 */
export function renderPostBody(
	body: string,
	images: ReadonlyMap<string, { widths: string; width: number; height: number }> = new Map()
): string {
	// A marker made fresh for each rendering, so text typed into a post cannot forge one.
	const marker = `colabimage${newId().replace(/[^A-Za-z0-9]/g, '')}x`;
	const found: Array<{ alt: string; id: string; width: string }> = [];
	const source = body.replace(
		/!\[([^\]]*)\]\(\s*\/media\/([A-Za-z0-9_-]{22})\/(\d{1,5})\.webp\s*\)/g,
		(_, alt: string, id: string, width: string) => {
			found.push({ alt: alt.trim(), id, width });
			return `${marker}${found.length - 1}${marker}`;
		}
	);
	const html = renderMarkdown(source);
	const escape = (text: string) =>
		text.replace(
			/[&<>"']/g,
			(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c
		);
	return html.replace(new RegExp(`${marker}(\\d+)${marker}`, 'g'), (_, index: string) => {
		const image = found[Number(index)];
		if (!image) return '';
		const info = images.get(image.id);
		const widths = info?.widths.split(',').filter((w) => /^\d+$/.test(w)) ?? [];
		const srcset = widths.length
			? ` srcset="${widths.map((w) => `/media/${image.id}/${w}.webp ${w}w`).join(', ')}" sizes="(max-width: 48rem) 100vw, 48rem"`
			: '';
		const size = info ? ` width="${info.width}" height="${info.height}"` : '';
		return `<img src="/media/${image.id}/${image.width}.webp"${srcset}${size} alt="${escape(image.alt)}" loading="lazy" decoding="async">`;
	});
}

/** The sizes of the images a body uses, for {@link renderPostBody}. */
export async function postImageInfo(
	db: Db,
	body: string
): Promise<Map<string, { widths: string; width: number; height: number }>> {
	const info = new Map<string, { widths: string; width: number; height: number }>();
	for (const image of await findImages(db, bodyImageIds(body).slice(0, 50))) {
		info.set(image.id, image);
	}
	return info;
}

/** The preview of a body being written: the same rendering readers get. */
export async function previewPostBody(
	db: Db,
	actor: Actor | null | undefined,
	body: string
): Promise<string> {
	assertCan(canWritePosts(actor), 'Sign in to write posts.');
	return renderPostBody(body, await postImageInfo(db, body));
}

/** What the editor offers: active themes, the person's organisations and recent events. */
export async function editorChoices(db: Db, actor: SessionUser) {
	const [themes, organisations, events] = await Promise.all([
		listThemes(db, ['active']),
		organisationsActorMayRepresent(db as Kysely<DB>, actor.id),
		listEventsOfPerson(db, actor.id, 30)
	]);
	return {
		themes: themes.map((t) => ({ id: t.id, name: t.name, description: t.description })),
		organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
		events
	};
}

export type SaveIntent = 'draft' | 'publish';
export type SaveResult =
	| { ok: true; post: Post; waiting: boolean; scheduled: boolean }
	| { ok: false; errors: FieldErrors; status?: number };

async function rateLimited(db: Kysely<DB>, actor: SessionUser): Promise<FieldErrors | null> {
	const limit = await consumeRateLimit(db, `posts.write:user:${actor.id}`, POSTING_RATE);
	if (limit.ok) return null;
	return {
		form: `You have saved a lot of posts in a short time. Wait ${describeWait(limit.retryAfterSeconds)} and try again; your text is still here.`
	};
}

/**
 * The checks after the schema: themes still offered, an organisation the author belongs to,
 * an event they hosted or attended, a publish time, and alt text on every image when publishing.
 */
async function checkPost(
	db: Db,
	actor: SessionUser,
	input: PostInput,
	intent: SaveIntent,
	timeZone: string,
	existing: Post | undefined,
	now: string
): Promise<{ ok: true; publishAt: string | null } | { ok: false; errors: FieldErrors }> {
	const errors: FieldErrors = {};
	const active = new Set((await listThemes(db, ['active'])).map((t) => t.id));
	const kept = new Set(existing ? await listPostThemeIds(db, existing.id) : []);
	if (input.themes.some((id) => !active.has(id) && !kept.has(id)))
		errors.themes = 'One of the themes is no longer offered. Choose again from the list.';
	if (input.organisationId) {
		const member = await mayRepresentOrganisation(db, actor.id, input.organisationId);
		const unchanged = existing?.organisation_id === input.organisationId;
		if (!unchanged && !canPostForOrganisation(actor, member))
			errors.organisationId =
				'You can only write on behalf of an organisation you belong to. Choose one of yours.';
	}
	if (input.eventId && existing?.event_id !== input.eventId) {
		const events = await listEventsOfPerson(db, actor.id, 200);
		if (!events.some((e) => e.id === input.eventId) && !isPostCurator(actor))
			errors.eventId = 'Choose an event you hosted or registered for.';
	}
	let publishAt: string | null = null;
	if (input.publishAt) {
		const match = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$/.exec(input.publishAt);
		const parsed = match?.[1] && match[2] ? localToUtc(match[1], match[2], timeZone) : null;
		if (!parsed || !parsed.ok)
			errors.publishAt = 'Enter a real date and time, like 2027-03-01 09:30';
		else if (parsed.iso <= now && intent === 'publish')
			errors.publishAt = 'The publishing time must be in the future, or leave it empty for now';
		else publishAt = parsed.iso;
	}
	if (intent === 'publish' && imagesWithoutAlt(input.body) > 0) errors.body = ALT_TEXT_MISSING;
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, publishAt };
}

/** Whether a member's post waits for a curator before anyone sees it. */
export async function mustWait(
	db: Db,
	actor: SessionUser,
	body: string,
	settings: PostSettings
): Promise<boolean> {
	if (isPostCurator(actor)) return false;
	const approved = await countApprovedPosts(db, actor.id);
	if (approved < settings.firstPostsWait) return true;
	return approved < NEW_MEMBER_POSTS && countLinks(body) > settings.linkLimit;
}

/**
 * Saves a post: a new one (no `slug`) or an edit. "draft" keeps it as it is (a published post
 * stays published, with the earlier version kept); "publish" publishes it now or at
 * `publishAt`, or sends it to wait for a curator while the author is new.
 */
export async function savePost(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	input: PostInput,
	options: { slug?: string; intent: SaveIntent; timeZone: string; now?: string }
): Promise<SaveResult> {
	assertCan(canWritePosts(actor), 'Sign in to write posts.');
	const now = options.now ?? nowIso();
	const existing = options.slug ? await findPostBySlug(db, options.slug) : undefined;
	if (options.slug && !existing)
		return { ok: false, errors: { form: 'This post is gone.' }, status: 404 };
	if (existing)
		assertCan(canEditPost(actor, existing), 'Only the author or a curator can edit this post.');
	// A member a curator has paused may still save drafts (nothing they wrote is lost).
	if (options.intent === 'publish') {
		const until = await postingSuspendedUntil(db, actor.id, now);
		if (until) {
			const day = new Date(until).toLocaleDateString('en-GB', {
				day: 'numeric',
				month: 'long',
				timeZone: options.timeZone
			});
			return {
				ok: false,
				errors: {
					form: `A curator has paused your posting until ${day}. You can save this as a draft and publish it after that.`
				},
				status: 403
			};
		}
	}
	const limited = await rateLimited(db, actor);
	if (limited) return { ok: false, errors: limited, status: 429 };
	const checked = await checkPost(
		db,
		actor,
		input,
		options.intent,
		options.timeZone,
		existing,
		now
	);
	if (!checked.ok) return checked;
	// A curator editing someone's post is not its author: the author's trust decides.
	const author: SessionUser =
		existing?.author_id && existing.author_id !== actor.id
			? { ...actor, id: existing.author_id, role: 'member' }
			: actor;
	const settings = await readPostSettings(db);
	const waits =
		options.intent === 'publish' &&
		existing?.status !== 'published' &&
		(await mustWait(db, author, input.body, settings));

	return changeContent(db, async (trx) => {
		let status: PostStatus = existing?.status ?? 'draft';
		let publishedAt = existing?.published_at ?? null;
		if (options.intent === 'publish') {
			if (existing?.status === 'published') {
				// A new time moves a scheduled post; an emptied one publishes it now.
				if (checked.publishAt) publishedAt = checked.publishAt;
				else if (publishedAt && publishedAt > now) publishedAt = now;
			} else if (waits) {
				status = 'waiting';
				publishedAt = checked.publishAt;
			} else {
				status = 'published';
				publishedAt = checked.publishAt ?? now;
			}
		} else if (existing?.status === 'published' && checked.publishAt && publishedAt! > now) {
			// A scheduled post's time can be moved while it waits to go out.
			publishedAt = checked.publishAt;
		}
		const common = {
			title: input.title,
			body: input.body,
			word_count: countWords(input.body),
			organisation_id: input.organisationId || null,
			event_id: input.eventId || null,
			status,
			published_at: publishedAt,
			edited_by: actor.id,
			updated_at: now
		};
		let post: Post;
		if (existing) {
			const changed = existing.title !== input.title || existing.body !== input.body;
			let version = existing.version;
			// Every edit of a published post keeps the version before it.
			if (changed && (existing.status === 'published' || existing.status === 'unpublished')) {
				await insertPostVersion(trx, {
					post_id: existing.id,
					version: existing.version,
					title: existing.title,
					body: existing.body,
					// Who saved the version being replaced (its author, before editors were kept).
					edited_by: existing.edited_by ?? existing.author_id,
					created_at: existing.updated_at
				});
				version++;
			}
			await updatePostRow(trx, existing.id, { ...common, version });
			post = { ...existing, ...common, version };
		} else {
			post = {
				id: newId(),
				slug: await freeSlug(trx, input.title),
				author_id: actor.id,
				first_image_id: null,
				featured_at: null,
				comments_closed: 0,
				hidden_at: null,
				version: 1,
				created_at: now,
				...common
			};
			await insertPost(trx, post);
		}
		await setPostThemes(trx, post.id, [...new Set(input.themes)]);
		const images = await setPostImages(trx, post.id, bodyImageIds(input.body));
		const firstImage = images[0] ?? null;
		if (firstImage !== post.first_image_id) {
			await updatePostRow(trx, post.id, { first_image_id: firstImage });
			post.first_image_id = firstImage;
		}
		await refreshPostSearch(trx, post.id);
		return {
			ok: true as const,
			post,
			waiting: status === 'waiting',
			scheduled: status === 'published' && !!publishedAt && publishedAt > now
		};
	});
}

/**
 * Adds an image to the body being written: checks the file (GIFs allowed, kept moving), stores
 * it, and returns the body with `![alt](/media/<id>/<width>.webp)` added at the end. The body
 * itself is not saved here: the author saves or publishes as usual.
 */
export async function addPostImage(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	body: string,
	alt: string,
	field: PictureField
): Promise<{ ok: true; body: string; imageId: string } | { ok: false; errors: FieldErrors }> {
	assertCan(canWritePosts(actor), 'Sign in to write posts.');
	const errors: FieldErrors = {};
	const altText = imageAltSchema.safeParse(alt);
	if (!altText.success) errors.imageAlt = altText.error.issues[0]?.message ?? 'Describe the image';
	if (
		field.entry === null ||
		field.entry === '' ||
		(typeof field.entry !== 'string' && field.entry.size === 0 && field.entry.name === '')
	)
		errors.image = 'Choose an image file to add';
	if (Object.keys(errors).length) return { ok: false, errors };
	const limited = await rateLimited(db, actor);
	if (limited) return { ok: false, errors: limited };
	const upload = await readPictureEntry(field.entry, field.limit, { allowGif: true });
	if (upload.kind === 'refused') return { ok: false, errors: { image: upload.message } };
	if (upload.kind === 'none')
		return { ok: false, errors: { image: 'Choose an image file to add' } };
	const staged = await field.store.stage(upload.picture);
	try {
		await db.transaction().execute(async (trx) => {
			await field.store.insert(trx, staged);
			// Until a saved post shows it, the image is only noted (see removeUnusedPostImages).
			await insertPostUpload(trx, staged.id, nowIso());
		});
	} catch (failure) {
		await field.store.removeFiles(staged.id);
		throw failure;
	}
	const width = upload.picture.variants.at(-1)!.width;
	const safeAlt = altText.data!.replace(/[[\]\n\r]/g, ' ');
	const line = `![${safeAlt}](/media/${staged.id}/${width}.webp)`;
	const trimmed = body.replace(/\s+$/, '');
	return { ok: true, body: trimmed ? `${trimmed}\n\n${line}\n` : `${line}\n`, imageId: staged.id };
}

/** How long an uploaded image may wait for a post to show it before it is removed. */
export const UNUSED_IMAGE_GRACE_MS = 24 * 60 * 60 * 1000;
const UNUSED_IMAGES_PER_RUN = 200;

/**
 * Removes images uploaded while writing that no post shows, neither as it is now nor in an
 * earlier version, a day after they were uploaded (an abandoned draft, an image taken out
 * before publishing): rows first, each deleted only if still unused, then its files. Safe with
 * several instances: whichever deletes the row removes the files, and removing is idempotent.
 */
export async function removeUnusedPostImages(
	db: Kysely<DB>,
	store: ImageStore,
	now = new Date()
): Promise<{ unusedImages: number }> {
	const before = new Date(now.getTime() - UNUSED_IMAGE_GRACE_MS).toISOString();
	let removed = 0;
	for (const id of await listUnusedPostUploads(db, before, UNUSED_IMAGES_PER_RUN)) {
		if (!(await deletePostUploadIfUnused(db, id, before))) continue;
		await store.removeFiles(id);
		removed++;
	}
	return { unusedImages: removed };
}

/** Finds a post for someone allowed to read it; undefined otherwise (as if it did not exist). */
export async function findReadablePost(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	now = nowIso()
): Promise<Post | undefined> {
	const post = await findPostBySlug(db, slug);
	return post && canReadPost(actor, post, now) ? post : undefined;
}

/** A post and its themes, for its editor (author or curator only). */
export async function findPostForEditing(db: Db, actor: Actor | null | undefined, slug: string) {
	const post = await findPostBySlug(db, slug);
	if (!post) return undefined;
	assertCan(canEditPost(actor, post), 'Only the author or a curator can edit this post.');
	return { post, themeIds: await listPostThemeIds(db, post.id) };
}

/** Takes a published (or scheduled, or waiting) post back down; it can be published again. */
export async function unpublishPost(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string
): Promise<Post | undefined> {
	const post = await findPostBySlug(db, slug);
	if (!post) return undefined;
	assertCan(canEditPost(actor, post), 'Only the author or a curator can unpublish this post.');
	if (post.status === 'draft' || post.status === 'unpublished') return post;
	return changeContent(db, async (trx) => {
		const changes = { status: 'unpublished' as const, updated_at: nowIso() };
		await updatePostRow(trx, post.id, changes);
		await refreshPostSearch(trx, post.id);
		return { ...post, ...changes };
	});
}

/** The plain words for a post's status, as its author reads them. */
export function statusLabel(post: Pick<Post, 'status' | 'published_at'>, now = nowIso()): string {
	switch (post.status) {
		case 'draft':
			return 'Draft';
		case 'waiting':
			return 'Waiting for a curator';
		case 'published':
			return post.published_at && post.published_at > now ? 'Scheduled' : 'Published';
		case 'unpublished':
			return 'Unpublished';
		case 'declined':
			return 'Declined';
	}
}

/** The author's own posts with their status, a page at a time. */
export async function listMyPosts(
	db: Db,
	actor: Actor | null | undefined,
	page: number
): Promise<{ posts: Array<PostListItem & { statusLabel: string }>; total: number }> {
	assertCan(canWritePosts(actor), 'Sign in to see your posts.');
	const now = nowIso();
	const { rows, total } = await listPostsOfAuthor(db, actor.id, {
		limit: POSTS_PAGE_SIZE,
		offset: (page - 1) * POSTS_PAGE_SIZE
	});
	return { posts: rows.map((r) => ({ ...r, statusLabel: statusLabel(r, now) })), total };
}

/** Curators: the posts waiting for them, and the newest published (to feature). */
export async function listReviewQueue(db: Db, actor: Actor | null | undefined, page: number) {
	assertCan(canReviewPosts(actor), 'Only curators review posts.');
	const waiting = await listWaitingPosts(db, {
		limit: POSTS_PAGE_SIZE,
		offset: (page - 1) * POSTS_PAGE_SIZE
	});
	// Each waiting post as readers would get it (a page holds at most POSTS_PAGE_SIZE).
	const rows = [];
	for (const row of waiting.rows) {
		const post = await findPostById(db, row.id);
		rows.push({
			...row,
			html: post ? renderPostBody(post.body, await postImageInfo(db, post.body)) : ''
		});
	}
	return { rows, total: waiting.total, recent: await listRecentPublished(db, 10) };
}

/** A curator lets a waiting post through: published now, or at its scheduled time if later. */
export async function approvePost(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	now = nowIso()
): Promise<Post | undefined> {
	assertCan(canReviewPosts(actor), 'Only curators approve posts.');
	const post = await findPostBySlug(db, slug);
	if (!post || post.status !== 'waiting') return undefined;
	return changeContent(db, async (trx) => {
		const changes = {
			status: 'published' as const,
			published_at: post.published_at && post.published_at > now ? post.published_at : now,
			updated_at: now
		};
		await updatePostRow(trx, post.id, changes);
		await refreshPostSearch(trx, post.id);
		if (post.author_id)
			await notify(trx, {
				recipientId: post.author_id,
				kind: 'content-decision',
				subjectKey: `post:${post.id}`,
				title: `A curator published your post “${post.title}”.`,
				url: `/blog/${post.slug}`,
				actorId: actor && 'id' in actor ? actor.id : null
			});
		return { ...post, ...changes };
	});
}

/** A curator declines a waiting post, and the author is told why by email. */
export async function declinePost(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	reason: string,
	site: { siteName: string; origin: string }
): Promise<Post | undefined> {
	assertCan(canReviewPosts(actor), 'Only curators decline posts.');
	const post = await findPostBySlug(db, slug);
	if (!post || post.status !== 'waiting') return undefined;
	return db.transaction().execute(async (trx) => {
		const changes = { status: 'declined' as const, updated_at: nowIso() };
		await updatePostRow(trx, post.id, changes);
		await refreshPostSearch(trx, post.id);
		const author = post.author_id
			? await trx
					.selectFrom('app_user')
					.select(['id', 'name', 'email'])
					.where('id', '=', post.author_id)
					.executeTakeFirst()
			: undefined;
		if (author) {
			const link = `${site.origin}/blog/${post.slug}/edit`;
			await enqueueMail(trx, {
				to: author.email,
				userId: author.id,
				kind: 'posts.declined',
				subject: `Your post “${post.title}” was not published`,
				keptSubject: 'Your post was not published',
				text: [
					`Hello ${author.name},`,
					'',
					`A curator on ${site.siteName} read your post “${post.title}” and did not publish it. They said:`,
					'',
					reason,
					'',
					`Your post is kept as you wrote it. You can change it and publish it again here: ${link}`
				].join('\n')
			});
			await notify(trx, {
				recipientId: author.id,
				kind: 'content-decision',
				subjectKey: `post:${post.id}`,
				title: `A curator did not publish your post “${post.title}”. We have emailed you why.`,
				url: `/blog/${post.slug}/edit`,
				actorId: actor && 'id' in actor ? actor.id : null
			});
		}
		return { ...post, ...changes };
	});
}

/** Curators feature a published post on the home page, or stop featuring it. */
export async function featurePost(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	featured: boolean
): Promise<Post | undefined> {
	assertCan(canReviewPosts(actor), 'Only curators feature posts.');
	const post = await findPostBySlug(db, slug);
	if (!post || (featured && post.status !== 'published')) return undefined;
	return changeContent(db, async (trx) => {
		const changes = { featured_at: featured ? nowIso() : null };
		await updatePostRow(trx, post.id, changes);
		return { ...post, ...changes };
	});
}

/** One line of a diff: kept, added or removed. */
export interface DiffLine {
	kind: 'same' | 'added' | 'removed';
	text: string;
}

/**
 * What changed between two texts, line by line (the longest common subsequence). Long texts
 * fall back to "all removed, all added" past a size that would take too long.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
	const a = before.split('\n');
	const b = after.split('\n');
	if (a.length * b.length > 4_000_000) {
		return [
			...a.map((text) => ({ kind: 'removed' as const, text })),
			...b.map((text) => ({ kind: 'added' as const, text }))
		];
	}
	const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
		new Array<number>(b.length + 1).fill(0)
	);
	for (let i = a.length - 1; i >= 0; i--)
		for (let j = b.length - 1; j >= 0; j--)
			lcs[i]![j] =
				a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
	const out: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			out.push({ kind: 'same', text: a[i]! });
			i++;
			j++;
		} else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'removed', text: a[i++]! });
		else out.push({ kind: 'added', text: b[j++]! });
	}
	while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
	while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
	return out;
}

export interface HistoryEntry {
	version: number;
	title: string;
	created_at: string;
	/** Who saved this version: the author, or a curator who edited the post. */
	editorName: string;
	current: boolean;
	/** What changed from the version before (the first version has none). */
	titleChanged: boolean;
	changes: DiffLine[] | null;
}

/** A post's versions, newest first, each with what changed from the one before it. */
export async function postHistory(
	db: Db,
	actor: Actor | null | undefined,
	slug: string
): Promise<{ post: Post; entries: HistoryEntry[] } | undefined> {
	const post = await findPostBySlug(db, slug);
	if (!post) return undefined;
	assertCan(canSeePostHistory(actor, post), 'Only the author and curators see a post’s history.');
	const [earlier, currentEditor] = await Promise.all([
		listPostVersions(db, post.id),
		findPersonName(db, post.edited_by ?? post.author_id)
	]);
	const all = [
		{
			version: post.version,
			title: post.title,
			body: post.body,
			created_at: post.updated_at,
			editor_name: currentEditor
		},
		...earlier
	];
	const entries = all.map((v, index) => {
		const before = all[index + 1];
		return {
			version: v.version,
			title: v.title,
			created_at: v.created_at,
			editorName: v.editor_name ?? 'a former member',
			current: index === 0,
			titleChanged: !!before && before.title !== v.title,
			changes: before ? lineDiff(before.body, v.body) : null
		};
	});
	return { post, entries };
}

/** Which of these posts (by id) their author deleted the account of: for lists. */
export function authorLabel(authorName: string | null): string {
	return authorName ?? 'A former member';
}

export { findPostById };

/**
 * A person's published posts readers can see now, latest first: what a champion's page shows
 * they wrote. Each with its page's address.
 */
export async function publishedPostsBy(
	db: Db,
	personId: string,
	limit: number,
	now = nowIso()
): Promise<Array<{ slug: string; title: string; publishedAt: string; url: string }>> {
	const rows = await listPublishedPostsOfAuthor(db, personId, limit, now);
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		publishedAt: r.published_at ?? now,
		url: `/blog/${r.slug}`
	}));
}
