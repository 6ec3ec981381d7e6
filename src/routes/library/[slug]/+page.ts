// A page people read and print: it sends no JavaScript.
export const csr = false;
