// The post page sends no script: its forms are plain posts, and "Load video" is a link that
// brings the page back with the player. So none of its comments go out twice as hydration
// data, and members can be served a shared render (cache/shared-pages.ts).
export const csr = false;
