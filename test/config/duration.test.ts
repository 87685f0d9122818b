import { describe, expect, it } from 'vitest';
import { parseDuration, parseSince } from '../../src/config/duration.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const now = new Date('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseSince', () => {
  it.each([
    ['7d', now.getTime() - 7 * DAY],
    ['36h', now.getTime() - 36 * HOUR],
    ['2w', now.getTime() - 14 * DAY],
    ['90m', now.getTime() - 90 * 60_000],
    ['45s', now.getTime() - 45_000],
    [' 7d ', now.getTime() - 7 * DAY],
    // Without a zone: local time, whatever TZ the tests run in.
    ['2026-01-31', new Date(2026, 0, 31).getTime()],
    ['2024-02-29', new Date(2024, 1, 29).getTime()],
    ['2026-01-31T09:30:00Z', Date.UTC(2026, 0, 31, 9, 30)],
    ['2026-01-31T09:30:00.250Z', Date.UTC(2026, 0, 31, 9, 30, 0, 250)],
    ['2026-01-31T09:30:00+02:00', Date.UTC(2026, 0, 31, 7, 30)],
    ['2026-01-31T09:30-0130', Date.UTC(2026, 0, 31, 11, 0)],
    ['2026-01-31T09:30', new Date(2026, 0, 31, 9, 30).getTime()],
    ['0099-01-31', (() => { const d = new Date(2000, 0, 1); d.setFullYear(99, 0, 31); return d.getTime(); })()],
  ])('%j is %s', (value, expected) => {
    expect(parseSince(value, now).getTime()).toBe(expected);
  });

  it.each(['7x', '-1d', '0d', '0s', '2026-13-45', '2025-02-29', '2026-01-31T24:00', '2026-01-31T09:60', '', '7', 'd', '1.5h', 'yesterday', '99999999999999w', '2026-01-31T09:30+25:00'])(
    'refuses %j with a usage error naming the flag and the accepted forms',
    (value) => {
      expect(() => parseSince(value, now)).toThrow(UsageError);
      expect(() => parseSince(value, now)).toThrow(
        `--since: expected a duration above zero (45s, 90m, 36h, 7d, 2w) or an ISO 8601 date/datetime (2026-01-31, 2026-01-31T09:30:00Z; without a zone, local time); got ${JSON.stringify(value)}`,
      );
    },
  );

  it('names the flag it was given', () => {
    expect(() => parseSince('soon', now, '--until')).toThrow(/^--until: expected .*; got "soon"$/);
  });
});

describe('parseDuration', () => {
  it('reads config durations as milliseconds', () => {
    expect(parseDuration('1d', 'sync.initialWindow')).toBe(DAY);
    expect(parseDuration('15m', 'sync.initialWindow')).toBe(15 * 60_000);
  });

  it('reports a bad config value as a config error naming the key', () => {
    expect(() => parseDuration('1x', 'sync.initialWindow')).toThrow(ConfigError);
    expect(() => parseDuration('1x', 'sync.initialWindow')).toThrow('sync.initialWindow: expected a duration above zero (45s, 90m, 36h, 7d, 2w); got "1x"');
  });

  it('reports a bad flag value as a usage error', () => {
    expect(() => parseDuration('0h', '--max-lag')).toThrow(UsageError);
  });
});
