// The resolved configuration every command receives: flags > environment > config file > defaults,
// already validated. Secrets live here and nowhere else; never print this object.

import type { FrontTuning } from '../front/client.js';
import type { Plan } from '../front-api/plans.js';
import type { CustomFieldValue, LabelRule, TextFrom } from '../highlight/types.js';
import type { RedactSettings } from '../redact/redactor.js';
import type { StoreLocation } from '../store/location.js';

// The value lists flags and the schema both check (here, not in schema.ts, so a flag's check
// does not load zod). Front's plans are a fact about Front (front-api/plans.ts, which the sandbox shares).
export { PLANS, type Plan } from '../front-api/plans.js';
export const STATUSES = ['open', 'archived', 'spam', 'trashed'] as const;

/** A Front app for OAuth (`connect --oauth`): each company brings its own, as Front requires the secret. */
export interface FrontOAuthSettings {
  clientId: string | null;
  clientSecret: string | null;
  /** The loopback redirect registered on the app. Default http://127.0.0.1:8484/oauth/callback. */
  redirectUri: string;
  /** Authorize and token host (FRONT_OAUTH_URL). Default https://app.frontapp.com. */
  url: string;
}

/** front.*: where Front is and how to reach it, and the client's tuning as it is (FrontTuning). */
export interface FrontSettings extends FrontTuning {
  token: string | null;
  /** Where the token was set, for messages about it ("FRONT_API_TOKEN", "front.token in <file>"); null without a token. */
  tokenFrom: string | null;
  oauth: FrontOAuthSettings;
  /** Base URL, no trailing slash. Default https://api2.frontapp.com. */
  url: string;
  plan: Plan;
  /** Explicit requests-per-window override (front.rpm or FRONT_IMPORT_RPM); null = from plan. */
  rpm: number | null;
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

export type DestinationSettings = { type: 'ndjson'; path: string; isDefault: boolean } | HttpDestinationSettings;

export interface ScopeSettings {
  inboxes: string[];
  /** Front team names (resolved to their inboxes before a run fetches). */
  teams: string[];
  tags: string[];
  excludeTags: string[];
  statuses: string[];
  /** Field name -> the values it may hold ({} = no filter). */
  customFields: Record<string, CustomFieldValue | CustomFieldValue[]>;
}

/** One teamspace's feed: which conversations, how they are labelled, where they go. */
export interface Subscription {
  name: string;
  /** Made of the top-level destination/scope/routing keys (named "default"). */
  implicit: boolean;
  destination: DestinationSettings;
  scope: ScopeSettings;
  routing: { labels: LabelRule[] };
  /**
   * Set by the run's scope check when the token may not read Front's custom field list (403): the
   * names scope.customFields and customField rules use are unchecked, and a conversation that does
   * not carry each of them is held back from this subscription (runs/held-custom-fields.ts).
   */
  customFieldsUnreadable?: boolean;
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
  highlights: {
    maxTextLength: number;
    textFrom: TextFrom;
    /** What is redacted before a Highlight is stored or sent (redact/). */
    redact: { kinds: RedactSettings['kinds']; patterns: RedactSettings['patterns'] };
    pseudonymize: boolean;
    /** HMAC key of the pseudonyms (FRONT_IMPORT_PII_KEY or highlights.piiKey); a secret. */
    piiKey: string | null;
  };
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
