import type { Writable } from 'node:stream';
import type { DestinationSettings } from '../config/types.js';
import { createHttpDestination } from './http.js';
import { createNdjsonDestination } from './ndjson.js';
import type { Destination } from './types.js';

export interface DestinationDeps {
  /** Where `path: '-'` writes. */
  stdout: Writable;
  userAgent: string;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Milliseconds since the epoch (signature timestamps). */
  clock?: () => number;
}

export function createDestination(settings: DestinationSettings, deps: DestinationDeps): Destination {
  if (settings.type === 'ndjson') return createNdjsonDestination({ path: settings.path, stdout: deps.stdout });
  const { type: _http, ...http } = settings;
  return createHttpDestination({ ...http, userAgent: deps.userAgent, sleep: deps.sleep, log: deps.log, clock: deps.clock });
}
