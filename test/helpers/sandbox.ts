// withSandbox: a sandbox started before the tests of the calling file (or before each test) and
// closed after, exposed through getters because it only exists once the hook has run. apiGet: one
// authenticated GET, body parsed.

import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { Page } from '../../src/front-api/index.ts';
import type { SandboxHandle, SandboxOptions, TokenLabel } from '../../src/sandbox/types.ts';

export type { Page } from '../../src/front-api/index.ts';
export type { ServedConversation, ServedEvent, ServedInbox, ServedMessage } from '../../src/sandbox/served.ts';

/** Front's error body, as the sandbox answers a refused request. */
export interface ErrorBody {
  _error: { status: number; title: string; message: string };
}

export function withSandbox(opts: SandboxOptions = {}, scope: 'all' | 'each' = 'all'): SandboxHandle {
  let handle: SandboxHandle | null = null;
  (scope === 'all' ? beforeAll : beforeEach)(async () => {
    handle = await startSandbox(opts);
  });
  (scope === 'all' ? afterAll : afterEach)(async () => {
    await handle?.close();
    handle = null;
  });
  const current = () => {
    if (!handle) throw new Error('withSandbox: the sandbox starts in a before hook; use it inside tests');
    return handle;
  };
  return {
    get url() {
      return current().url;
    },
    get tokens() {
      return current().tokens;
    },
    get oauth() {
      return current().oauth;
    },
    get control() {
      return current().control;
    },
    close: () => current().close(),
  };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** GET `pathOrUrl` (a path on the sandbox, or an absolute URL such as a `next` link). */
export async function apiGet<T = unknown>(
  sandbox: SandboxHandle,
  pathOrUrl: string,
  token: TokenLabel | null = 'full',
): Promise<ApiAnswer<T>> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sandbox.url}${pathOrUrl}`;
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${sandbox.tokens[token]}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Follows `next` from `path` to the end, returning every page's body (a page of T; every listed resource has an id). */
export async function allPages<T = { id: string }>(sandbox: SandboxHandle, path: string, token: TokenLabel = 'full'): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let next: string | null = path;
  for (let guard = 0; next !== null; guard++) {
    if (guard > 10_000) throw new Error(`allPages: more than 10,000 pages from ${path}`);
    const answer: ApiAnswer<Page<T>> = await apiGet<Page<T>>(sandbox, next, token);
    if (answer.status !== 200) throw new Error(`allPages: ${next} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    pages.push(answer.body);
    next = answer.body._pagination?.next ?? null;
  }
  return pages;
}

/** The ids on the pages, in order. */
export const idsOf = (pages: readonly Page<{ id: string }>[]): string[] => pages.flatMap((p) => p._results.map((r) => r.id));
