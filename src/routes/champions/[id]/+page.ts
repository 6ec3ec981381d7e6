// A page people read: links only, so it sends no JavaScript at all.
export const csr = false;
