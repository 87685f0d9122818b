// What the reliability suite (test/reliability) checks runs against: a delivery audit of a receiver
// against the sandbox's truth, a byte-level search for secrets, a child's peak memory, polling with
// a deadline, and a seeded RNG whose seed is printed so a failing run can be replayed.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { seededRandom, type Random } from '../../src/sandbox/random.ts';
import type { Receiver } from './receiver.ts';

/** RELIABILITY_SEED=<n> replays a run; otherwise every run draws a new seed. */
export function suiteRandom(stream: string): { seed: number; rng: Random } {
  const fixed = Number(process.env.RELIABILITY_SEED);
  const seed = Number.isInteger(fixed) && fixed > 0 ? fixed : 1 + Math.floor(Math.random() * 1_000_000);
  return { seed, rng: seededRandom(seed, stream) };
}

export interface DeliveryAudit {
  /** Distinct Highlight ids the receiver accepted. */
  delivered: number;
  missing: string[];
  unexpected: string[];
  /**
   * `id@version` accepted again under another Idempotency-Key with no other version of the id in
   * between: a receiver deduping on keys stores it twice. (A→B→A is a real change back, not this.)
   */
  duplicateVersions: string[];
  /** Ids sent an older state (by updatedAt) after a newer one. */
  regressions: string[];
  /** Requests that repeated an Idempotency-Key already accepted (answered 409): re-sends after a crash or timeout. */
  resent: number;
}

export function auditDelivery(receiver: Receiver, expectedIds: Iterable<string>): DeliveryAudit {
  const expected = new Set(expectedIds);
  const last = new Map<string, { version: string; updatedAt: string }>();
  const duplicateVersions = new Set<string>();
  const regressions = new Set<string>();
  for (const batch of receiver.batches) {
    for (const h of batch.highlights) {
      const before = last.get(h.id);
      const updatedAt = String(h.updatedAt);
      if (before?.version === h.version) duplicateVersions.add(`${h.id}@${h.version}`);
      if (before && updatedAt < before.updatedAt) regressions.add(h.id);
      last.set(h.id, { version: h.version, updatedAt });
    }
  }
  const seenKeys = new Set<string>();
  let resent = 0;
  for (const request of receiver.raw) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') continue;
    if (seenKeys.has(key)) resent += 1;
    seenKeys.add(key);
  }
  return {
    delivered: last.size,
    missing: [...expected].filter((id) => !last.has(id)),
    unexpected: [...last.keys()].filter((id) => !expected.has(id)),
    duplicateVersions: [...duplicateVersions],
    regressions: [...regressions],
    resent,
  };
}

export interface Place {
  label: string;
  bytes: Buffer | string;
}

/** Every regular file under `dir` (state file, its -wal/-shm, NDJSON, configs), as bytes. */
export function filesUnder(dir: string): Place[] {
  if (!existsSync(dir)) return [];
  const out: Place[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile()) out.push({ label: relative(dir, path), bytes: readFileSync(path) });
    }
  };
  walk(dir);
  return out;
}

/** "<secret name> in <place>" for every place holding a secret or any 12-character part of it; searched byte for byte, as UTF-8. */
export function findSecrets(secrets: Record<string, string>, places: Place[]): string[] {
  const found: string[] = [];
  for (const place of places) {
    const bytes = Buffer.isBuffer(place.bytes) ? place.bytes : Buffer.from(place.bytes, 'utf8');
    for (const [name, secret] of Object.entries(secrets)) {
      if (fragmentsOf(secret).some((f) => bytes.includes(Buffer.from(f, 'utf8')))) found.push(`${name} in ${place.label}`);
    }
  }
  return found;
}

/** Every 12-character slice of a secret: a truncated or partly masked copy is still a leak. */
function fragmentsOf(secret: string): string[] {
  if (secret.length <= 12) return [secret];
  return Array.from({ length: secret.length - 11 }, (_, i) => secret.slice(i, i + 12));
}

/**
 * Samples a child's peak resident memory (VmHWM, Linux /proc) until stop(); stop() returns the peak
 * in MB, or null where /proc is not available.
 */
export function watchPeakRss(pid: number, everyMs = 20): { stop(): number | null } {
  let peakKb: number | null = null;
  const sample = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb ?? 0, Number(match[1]));
    } catch {
      // The child has exited, or this is not Linux.
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peakKb === null ? null : Math.round(peakKb / 1024);
    },
  };
}

/** Polls `condition` every few ms; throws naming `what` when it is still false after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** 12345 -> "12,345", for figures. */
export const n = (value: number): string => value.toLocaleString('en-US');
