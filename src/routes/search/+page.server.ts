import { app } from '$lib/server/app';
import {
	parseSiteSearchParams,
	searchSite,
	searchThemeOptions,
	searchTypeOptions,
	shorteningMessage
} from '$lib/server/site-search/site-search.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const { db } = app().database;
	const { request, problems } = parseSiteSearchParams(url.searchParams);
	// Dates with a problem (not a date, or the wrong way round): the page still shows, each
	// message beside its field and both dates kept, and answers 400.
	if (Object.keys(problems.errors).length) locals.pageStatus = 400;
	const themes = await searchThemeOptions(db);
	let theme = request.theme;
	if (theme && !themes.some((t) => t.value === theme)) {
		problems.notices.push('The link asked for a theme we do not have, so we searched every theme.');
		theme = null;
	}
	const found = request.query.trim()
		? await searchSite(db, { ...request, theme }, locals.user, {
				timeZone: app().config.timeZone
			})
		: null;

	/** Another page of the same search starts from this address, every filter kept. */
	const pageBase = (() => {
		const params = new URLSearchParams(url.searchParams);
		params.delete('page');
		return `/search?${params.toString()}`;
	})();
	const didYouMeanHref = found?.didYouMean
		? (() => {
				const params = new URLSearchParams(url.searchParams);
				params.set('q', found.didYouMean);
				params.delete('page');
				return `/search?${params.toString()}`;
			})()
		: null;
	return {
		request: { ...request, theme },
		errors: problems.errors,
		notices: problems.notices,
		types: searchTypeOptions(),
		themes,
		found: found
			? {
					...found,
					shortenedMessage: shorteningMessage(found.shortened),
					pageBase
				}
			: null,
		didYouMeanHref
	};
};
