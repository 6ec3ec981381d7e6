// The decision, its live summary and the response form: plain forms and links, so the page
// sends no script, and none of the reasons go out a second time as hydration data.
export const csr = false;
