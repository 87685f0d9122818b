// Names of the state entries more than one command reads.

/**
 * The cursor a subscription's sync continues from, one per destination (its destinationKey): a
 * destination new to the state has none and starts with its initial window. An open-ended backfill
 * seeds it, `status` reports it as the subscription's lag.
 */
export function syncCursorFor(destination: string): string {
  return `sync@${destination}`;
}

/** Meta: a subscription's scope as its cursor was recorded with, one per destination (runs/scope-change.ts); it moves and goes with the cursor. */
export function scopeMetaFor(destination: string): string {
  return `scope@${destination}`;
}

/** Meta: the redaction settings the state was last redacted with (runs/state-redaction.ts); `status` compares. */
export const STATE_REDACTION_META = 'state.redaction';

export interface StateRedactionRecord {
  /** The settings' fingerprint (redact/fingerprint.ts, never the key); null: redaction was off. */
  fingerprint: string | null;
  at: string;
  /** The free space was scrubbed too; false: the next run tries that part again. */
  scrubbed: boolean;
}

/** Meta: per subscription, conversations held back while Front's custom field list was unreadable (runs/held-custom-fields.ts). */
export const HELD_BACK_META = 'customFields.heldBack';

export interface HeldRecord {
  key: string;
  /** Conversations held over the runs since the list became unreadable (each run's count, added). */
  conversations: number;
  /** Unix seconds: the earliest Front update among them; null when none had one (all stored are looked at). */
  since: number | null;
  /** When a run first held one back. */
  firstAt: string;
}

export type HeldMeta = Record<string, HeldRecord>;

/** Meta: which lanes the stored conversations were fetched for, and over what time (runs/coverage.ts). */
export const COVERAGE_META = 'fetchCoverage';

/**
 * Where an older state's single-destination delivery state waits (schema migration to per-destination
 * delivery) until the first destination that runs claims it, with its sync cursor.
 */
export const LEGACY_DESTINATION = '';
export const LEGACY_SYNC_CURSOR = 'sync';

/**
 * Meta: conversations whose messages Front will not serve (pipeline/run/poisoned.ts keeps it);
 * here so `status` reads it without loading the import pipeline.
 */
export const POISONED_META_KEY = 'poisonedConversations';

export interface PoisonedConversation {
  id: string;
  firstSeen: string;
  lastTried: string;
  attempts: number;
  error: string;
}
