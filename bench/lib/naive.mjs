// The reference a typical connector would be: list conversations newest first until the window's
// start, then GET each one's latest message. Not product code; it only sets the bar that
// front-import's requests per Highlight are compared with, on the same workload.

const MAX_PAGES = 10_000;
const MESSAGE_WORKERS = 4;

/** Returns the number of Highlights such a connector would produce; its requests are in the sandbox's log. */
export async function naiveBackfill(sandbox, sinceMs) {
  const headers = { authorization: `Bearer ${sandbox.tokens.full}` };
  const getJson = async (url) => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`naive baseline: ${url} answered ${res.status}`);
    return res.json();
  };
  const messageUrls = [];
  let next = `${sandbox.url}/conversations?sort_by=date&sort_order=desc&limit=100`;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const body = await getJson(next);
    let passedStart = false;
    for (const c of body._results) {
      if (c.updated_at * 1000 < sinceMs) passedStart = true;
      else if (c._links.related.last_message) messageUrls.push(c._links.related.last_message);
    }
    next = passedStart ? null : body._pagination.next;
  }
  let i = 0;
  const worker = async () => {
    while (i < messageUrls.length) await getJson(messageUrls[i++]);
  };
  await Promise.all(Array.from({ length: MESSAGE_WORKERS }, worker));
  return messageUrls.length;
}
