// A page people read: the filter form is a plain GET form, so it sends no JavaScript at all.
export const csr = false;
