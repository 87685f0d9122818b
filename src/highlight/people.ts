import type { FrontRecipient, FrontTeammate } from '../front/types.js';
import type { Highlight } from './types.js';
import { oneLine } from './one-line.js';

/** The conversation's recipient, when it has a handle to reach them by. */
export function mapRequester(recipient: FrontRecipient | null | undefined): Highlight['requester'] {
  const handle = oneLine(recipient?.handle);
  if (!handle) return null;
  return { name: oneLine(recipient?.name) || null, handle };
}

/** The assigned teammate; the name falls back to username, email, then id so it is never blank. */
export function mapAssignee(teammate: FrontTeammate | null | undefined): Highlight['assignee'] {
  const id = oneLine(teammate?.id);
  if (!id) return null;
  return { id, name: teammateName(teammate) || id, email: oneLine(teammate?.email) };
}

/** First and last name, else username, else email; null when it has none of them. */
export function teammateName(teammate: FrontTeammate | null | undefined): string | null {
  const fullName = oneLine(`${str(teammate?.first_name)} ${str(teammate?.last_name)}`);
  return fullName || oneLine(teammate?.username) || oneLine(teammate?.email) || null;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
