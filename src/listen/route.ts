// Which of listen's endpoints a request addresses. `/healthz` and `/metrics` answer under any prefix
// so a reverse proxy that mounts the listener below a path still reaches them.

import { itemAt } from '../shared/item-at.js';

export type Route =
  | { kind: 'health'; strict: boolean }
  | { kind: 'metrics' }
  | { kind: 'webhook'; pathSecret: string | null }
  | { kind: 'refuse'; status: 404 | 405; reason: string; allow?: string };

export function routeRequest(method: string | undefined, url: string | undefined, webhookPath: string): Route {
  const pathname = trimSlash(pathOf(url ?? '/'));
  if (pathname === '/healthz' || pathname.endsWith('/healthz')) {
    return method === 'GET' || method === 'HEAD' ? { kind: 'health', strict: queryOf(url ?? '').has('strict') } : methodNotAllowed('GET, HEAD');
  }
  if (pathname === '/metrics' || pathname.endsWith('/metrics')) {
    return method === 'GET' ? { kind: 'metrics' } : methodNotAllowed('GET');
  }
  const base = trimSlash(webhookPath);
  const prefix = base === '/' ? '/' : `${base}/`;
  const rest = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : null;
  let pathSecret: string | null;
  if (pathname === base) pathSecret = null;
  else if (rest && !rest.includes('/')) pathSecret = decodeSegment(rest);
  else return { kind: 'refuse', status: 404, reason: 'unknown path' };
  return method === 'POST' ? { kind: 'webhook', pathSecret } : methodNotAllowed('POST');
}

function queryOf(target: string): URLSearchParams {
  const at = target.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : target.slice(at + 1).split('#', 1)[0]);
}

function methodNotAllowed(allow: string): Route {
  return { kind: 'refuse', status: 405, reason: 'method not allowed', allow };
}

/** `/front/webhook/` and `/front/webhook` are the same endpoint. */
export function trimSlash(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The request target's path; the absolute form (`POST http://host/path`) is allowed by HTTP/1.1. */
function pathOf(target: string): string {
  const path = itemAt(target.split(/[?#]/, 1), 0);
  if (path.startsWith('/')) return path;
  try {
    return new URL(path).pathname;
  } catch {
    return path;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
