// Building request URLs: a path joins the base URL (keeping any path prefix it has), an absolute
// URL (a saved `next`) is taken as is, and the query is appended in Front's bracket style.

export type QueryValue = string | number | boolean | undefined | (string | number)[];
export type Query = Record<string, QueryValue>;

/** Brackets stay readable (`q[types][]=inbound`); everything else is percent-encoded. */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
}

export function encodeQuery(query: Query | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) parts.push(`${encodeKey(`${key}[]`)}=${encodeURIComponent(String(item))}`);
    } else {
      parts.push(`${encodeKey(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.join('&');
}

export function requestUrl(baseUrl: string, pathOrUrl: string, query?: Query): string {
  const url = /^https?:\/\//i.test(pathOrUrl)
    ? pathOrUrl
    : `${baseUrl.replace(/\/+$/, '')}/${pathOrUrl.replace(/^\/+/, '')}`;
  const encoded = encodeQuery(query);
  if (!encoded) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
}

/** "GET /messages/:id": ids and search queries collapse so counters group by endpoint. */
export function endpointKey(method: string, url: string): string {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  const normalised = segments.map((segment, i) => {
    if (segments[i - 1] === 'search') return ':query';
    return /^[a-z]{3}_[A-Za-z0-9_-]+$/.test(segment) || /^\d+$/.test(segment) ? ':id' : segment;
  });
  return `${method} /${normalised.join('/')}`;
}
