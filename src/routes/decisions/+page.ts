// A page people read: it sends no JavaScript at all.
export const csr = false;
