// A page to print: no JavaScript needed.
export const csr = false;
