// The resolved configuration every command receives: flags > environment > config file > defaults,
// already validated. Secrets live here and nowhere else; never print this object.

import type { Plan } from '../front-api/plans.js';
import type { LabelRule, TextFrom } from '../highlight/types.js';
import type { StoreLocation } from '../store/location.js';

export type { Plan };

// The value list flags and the schema both check (here, not in schema.ts, so a flag's check
// does not load zod).
export const STATUSES = ['open', 'archived', 'spam', 'trashed'] as const;

export interface FrontSettings {
  token: string | null;
  /** Base URL, no trailing slash. Default https://api2.frontapp.com. */
  url: string;
  plan: Plan;
  /** Explicit requests-per-window override (front.rpm or FRONT_IMPORT_RPM); null = from plan. */
  rpm: number | null;
  /** Fraction of the company limit this tool may use (default 0.8). */
  share: number;
  /** Burst limit, requests per second (default 5); scaled with rateWindowMs. */
  burstPerSecond: number;
  /** Length of Front's rate window in ms (60000; tests compress it). */
  rateWindowMs: number;
  /** Requests in flight at once (default 4). */
  concurrency: number;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
}

export interface HttpDestinationSettings {
  type: 'http';
  url: string;
  token: string | null;
  batchSize: number;
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  retryBaseMs: number;
  /** HMAC-SHA256 key signing every POST (destinations/signature.ts); null = unsigned. */
  signingSecret: string | null;
}

/** The part of front.* the Front client takes as it is. */
export type FrontTuning = Pick<FrontSettings, 'share' | 'burstPerSecond' | 'rateWindowMs' | 'concurrency' | 'timeoutMs' | 'retries' | 'retryBaseMs'>;

export type DestinationSettings = { type: 'ndjson'; path: string; isDefault: boolean } | HttpDestinationSettings;

export interface ScopeSettings {
  inboxes: string[];
  tags: string[];
  excludeTags: string[];
  statuses: string[];
}

/** One teamspace's feed: which conversations, how they are labelled, where they go. */
export interface Subscription {
  name: string;
  /** Made of the top-level destination/scope/routing keys (named "default"). */
  implicit: boolean;
  destination: DestinationSettings;
  scope: ScopeSettings;
  routing: { labels: LabelRule[] };
}

export interface ResolvedConfig {
  /** The config file that was loaded, or null when none was found. */
  configPath: string | null;
  front: FrontSettings;
  /** Where the state lives: a SQLite file (the default) or a PostgreSQL database. */
  store: StoreLocation;
  /**
   * The subscriptions this run acts on: every configured one, or those named by --subscription,
   * with --to/--inbox/--tag/--status applied (those flags need exactly one).
   */
  subscriptions: Subscription[];
  /** True when --subscription narrowed `subscriptions` to some of those configured. */
  subscriptionsPicked: boolean;
  highlights: { maxTextLength: number; textFrom: TextFrom };
  sync: { initialWindow: string; overlapSeconds: number };
  listen: {
    host: string;
    port: number;
    path: string;
    /** App webhook signing secret (FRONT_WEBHOOK_SECRET). */
    secret: string | null;
    /** Rule webhooks: shared secret expected in the path's last segment or the header below. */
    ruleSecret: string | null;
    ruleSecretHeader: string;
  };
}

/** Values that come from command-line flags; they win over everything else. */
export interface ConfigOverrides {
  db?: string;
  /** --subscription NAME (repeatable). */
  subscriptions?: string[];
  /** --state: a file path, sqlite: URL or postgres:// URL. */
  state?: string;
  to?: string;
  inboxes?: string[];
  tags?: string[];
  statuses?: string[];
}
