// The thread's forms are plain posts and its links plain links: the page needs no script, so
// none is sent (and no copy of every comment as hydration data).
export const csr = false;
