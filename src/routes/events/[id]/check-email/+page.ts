// A page people read: links and plain forms work with a full page load, so it sends no
// JavaScript at all (the page-weight budget in `npm run bench`; docs/performance.md).
export const csr = false;
