// Relative durations ("7d") and points in time ("--since 2026-01-31") typed by users.
// An ISO date or datetime without a zone is local time (the TZ the process runs in), as a person
// typing "2026-01-31 09:30" means it; a cron job that must not depend on the machine's zone writes
// one (Z or +02:00). The window actually used is printed by --verbose and --json.

import { ConfigError, UsageError } from '../errors.js';
import { quote } from './quote.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export const DURATION_EXPECTATION = 'expected a duration above zero (45s, 90m, 36h, 7d, 2w)';
const SINCE_EXPECTATION =
  'expected a duration above zero (45s, 90m, 36h, 7d, 2w) or an ISO 8601 date/datetime (2026-01-31, 2026-01-31T09:30:00Z; without a zone, local time)';

/** Milliseconds for "45s" / "90m" / "36h" / "7d" / "2w", or null when the text is not one. */
export function durationMs(value: string): number | null {
  const match = /^(\d{1,15})([smhdw])$/.exec(value.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch ms for an ISO 8601 date or datetime, or null when it is malformed or not a real date. */
export function isoDateMs(value: string): number | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p) => Number(p ?? 0)) as [
    number, number, number, number, number, number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  if (m[8] === undefined) {
    const local = new Date(2000, 0, 1);
    // setFullYear, unlike the Date constructor, does not map years 0-99 to 1900-1999.
    local.setFullYear(year, month - 1, day);
    if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== day) return null;
    local.setHours(hour, minute, second, ms);
    return local.getTime();
  }
  const offsetMs = zoneOffsetMs(m[8]);
  if (offsetMs === null) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime() - offsetMs;
}

function zoneOffsetMs(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** `--since 7d` is seven days before `now`; `--since 2026-01-31` is that midnight, local time. */
export function parseSince(value: string, now: Date, flag = '--since'): Date {
  const ago = durationMs(value);
  const at = ago === null ? isoDateMs(value) : now.getTime() - ago;
  const date = at === null ? null : new Date(at);
  if (date === null || Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag}: ${SINCE_EXPECTATION}; got ${quote(value)}`);
  }
  return date;
}

/** Milliseconds for a duration setting; `key` names it in the error ("--max-lag" is a flag, so a usage error). */
export function parseDuration(value: string, key: string): number {
  const ms = durationMs(value);
  if (ms !== null) return ms;
  const message = `${key}: ${DURATION_EXPECTATION}; got ${quote(value)}`;
  throw key.startsWith('--') ? new UsageError(message) : new ConfigError(message);
}
