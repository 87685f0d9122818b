// Typed errors from Front's answers. Every text that reaches a message passes `clean`, because
// a message may be printed, logged or stored; the request (and its Authorization header) is never
// attached as a cause.

import { AuthError, FrontRequestError, ScopeError } from '../errors.js';
import { scrub } from '../shared/secrets.js';

const MAX_FRONT_MESSAGE = 300;

export interface FrontErrorBody {
  status?: number;
  title?: string;
  message?: string;
}

/** `{"_error": {status, title, message}}`, or null for any other body. */
export function parseErrorBody(text: string): FrontErrorBody | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (parsed as { _error?: unknown } | null)?._error;
  if (!error || typeof error !== 'object') return null;
  const { status, title, message } = error as Record<string, unknown>;
  return {
    status: typeof status === 'number' ? status : undefined,
    title: typeof title === 'string' ? title : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/** Removes secrets and control characters and keeps Front's text short. */
export function clean(text: string, secrets: readonly string[]): string {
  // Every control character, C1 too: U+009B is a terminal's CSI, as ESC [ is.
  const out = scrub(text, secrets).replace(/\p{Cc}+/gu, ' ').trim();
  return out.length > MAX_FRONT_MESSAGE ? `${out.slice(0, MAX_FRONT_MESSAGE)}…` : out;
}

/** What a 403 on this path was about, for the ScopeError and its hint. */
export function resourceOf(pathname: string): { resource: string; hint: string } {
  const segments = pathname.split('/').filter(Boolean);
  const [first, id, sub] = segments;
  if (first === 'events') {
    return { resource: '/events', hint: 'the token needs the events:*:read scope to read the event stream' };
  }
  const kind = { conversations: 'conversation', messages: 'message', inboxes: 'inbox' }[first ?? ''];
  if (kind && id && id !== 'search') {
    const resource = sub === 'conversations' ? `conversations of inbox ${id}` : `${kind} ${id}`;
    return {
      resource,
      hint: 'it is probably in a private inbox: the token needs access to private resources and the teammate must allow API access',
    };
  }
  return { resource: `/${segments.join('/')}`, hint: 'the token lacks a scope this endpoint needs' };
}

export function errorForStatus(
  status: number,
  statusText: string,
  body: FrontErrorBody | null,
  request: { method: string; pathname: string; resource?: string },
  secrets: readonly string[],
): Error {
  const said = body?.message ? clean(body.message, secrets) : '';
  if (status === 401) return new AuthError('Front rejected the token (401): check it is active and copied in full');
  if (status === 403) {
    const about = resourceOf(request.pathname);
    const resource = request.resource ?? about.resource;
    const detail = said ? `: ${said}` : '';
    return new ScopeError(`Front refused access to ${clean(resource, secrets)} (403${detail}); ${about.hint}`, resource);
  }
  const title = clean(body?.title ?? statusText, secrets);
  const where = clean(`${request.method} ${request.pathname}`, secrets);
  return new FrontRequestError(`Front answered ${status}${title ? ` ${title}` : ''} for ${where}${said ? `: ${said}` : ''}`, status);
}
