/**
 * Slots in a shared render (see src/lib/server/cache/shared-pages.ts): HTML comments marking
 * where each member's own part goes. Here, outside `$lib/server`, because components write them.
 */

/** `<!--colab-slot:NAME-->`: where a member's own part goes. */
export function slot(name: string): string {
	return `<!--colab-slot:${name}-->`;
}

/** The marker that ends a stretch begun by `slot(name)`, which a member's own part replaces. */
export function slotEnd(name: string): string {
	return `<!--/colab-slot:${name}-->`;
}
