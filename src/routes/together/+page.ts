// A page people read, with plain links: it sends no JavaScript.
export const csr = false;
