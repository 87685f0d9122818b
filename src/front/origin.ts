// Where the token may be sent. Front's `next` links point at the company's own host
// (`https://<company>.api.frontapp.com`), so for a Front base URL any https frontapp.com host is
// ours; for anything else (the sandbox, a proxy) only the base URL's exact origin is.

import { FrontProtocolError } from '../errors.js';

const FRONT_DOMAIN = 'frontapp.com';

function isFrontHost(hostname: string): boolean {
  return hostname === FRONT_DOMAIN || hostname.endsWith(`.${FRONT_DOMAIN}`);
}

/** True when a request to `target` may carry the token configured for `baseUrl`. */
export function isAllowedOrigin(baseUrl: string, target: string): boolean {
  let base: URL;
  let url: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.origin === base.origin) return true;
  return isFrontHost(base.hostname) && url.protocol === 'https:' && isFrontHost(url.hostname);
}

/**
 * Resolves `target` (absolute or relative to `from`) and refuses it unless it is allowed.
 * `what` names the link in the error, e.g. "Front's next page link".
 */
export function allowedUrl(baseUrl: string, target: string, from: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(target, from);
  } catch {
    throw new FrontProtocolError(`${what} is not a URL; refusing to follow it`);
  }
  if (!isAllowedOrigin(baseUrl, url.href)) {
    throw new FrontProtocolError(
      `${what} points at ${url.protocol}//${url.host}, not ${new URL(baseUrl).host}; refusing to send the token there`,
    );
  }
  return url;
}
