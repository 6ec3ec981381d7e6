/**
 * The current address with some query parameters changed (null removes one), as a relative
 * link. Lists use it so page links and month links keep the filters.
 */
export function withQuery(url: URL, changes: Record<string, string | null>): string {
	const params = new URLSearchParams(url.searchParams);
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) params.delete(key);
		else params.set(key, value);
	}
	const query = params.toString();
	return url.pathname + (query ? `?${query}` : '');
}
