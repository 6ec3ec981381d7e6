// A page people read: the filter is a plain GET form, so it sends no JavaScript.
export const csr = false;
