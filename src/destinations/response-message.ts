import { oneLine } from '../highlight/one-line.js';
import { truncate } from '../highlight/truncate.js';

const MAX_MESSAGE_LENGTH = 200;

/**
 * What a receiver said when refusing a batch: `error` or `message` of a JSON body (or
 * `error.message`), else the body as text; on one line, control characters removed, at most 200
 * characters.
 */
export function responseMessage(body: string): string {
  return truncate(oneLine(fromJson(body) ?? body), MAX_MESSAGE_LENGTH);
}

function fromJson(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const { error, message } = parsed as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (typeof message === 'string') return message;
  const nested = (error as { message?: unknown } | null | undefined)?.message;
  return typeof nested === 'string' ? nested : null;
}
