// The shape of a config file, checked strictly: an unknown key is an error (usually a typo that
// would otherwise be silently ignored). Every key is optional; defaults are applied in resolve.ts
// after the environment and flags have had their say.
//
// Each check carries the "expected ..." phrase a user reads; format-issues.ts adds the key path
// and what was found.
//
// Written with zod/mini, zod's functional API over the same core (the same checks, issues and
// messages as zod's classic API): a config file's `status` loads it, and the classic API's
// methods on every schema (and the JSON Schema support they bring) cost some 35 ms of start-up.

import * as z from 'zod/mini';
import { TEXT_FROM } from '../highlight/types.js';
import { REDACT_KINDS } from '../redact/kinds.js';
import { compilePattern } from '../redact/patterns.js';
import { closestKey } from '../shared/did-you-mean.js';
import { DURATION_EXPECTATION, durationMs } from './duration.js';
import { HTTP_URL_EXPECTATION, isHttpUrl } from './http-url.js';
import { PLANS, STATUSES } from './types.js';

export const LABEL_RULE_KINDS = ['tag', 'status', 'inbox', 'customField', 'language'] as const;

/** A subscription's name: it appears in flags, status lines and file names, so it is kept plain. */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// What the classic API sets up on its first schema and zod/mini leaves to its user: English
// messages for issues without a phrase of ours (an invalid union, a record's key), and the memoizer
// its containers parse through (one answer per value a YAML alias repeats).
z.config(z.locales.en());
z.config({ memoizer: z.memoizer() });

function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
  });
}

/** A section: every key optional, and the whole of it may be null (every key commented out). */
function nullablePartial<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.nullable(z.partial(strict(shape)));
}

function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const described = keys.map((key) => {
    const guess = closestKey(key, known);
    return guess ? `"${key}" (did you mean "${guess}"?)` : `"${key}"`;
  });
  return `unknown key${keys.length > 1 ? 's' : ''} ${described.join(', ')}`;
}

function intBetween(min: number, max: number) {
  const phrase = `expected an integer from ${min} to ${max}`;
  return z.number().check(z.int(phrase), z.gte(min, phrase), z.lte(max, phrase));
}

function intAtLeast(min: number) {
  const phrase = min === 1 ? 'expected a positive integer' : `expected an integer >= ${min}`;
  return z.number().check(z.int(phrase), z.gte(min, phrase));
}

const positiveNumber = z.number().check(z.gt(0, 'expected a number greater than 0'));
const text = z.string().check(z.minLength(1, 'expected a non-empty string'));
const secret = z.nullable(z.string().check(z.trim(), z.minLength(1, 'expected a non-empty string')));
const httpUrl = z.string().check(z.refine(isHttpUrl, HTTP_URL_EXPECTATION));
const retries = intBetween(0, 20);
const timeoutMs = intAtLeast(1);
const retryBaseMs = intAtLeast(0);

// A custom field's value as Front types them: enum and string fields are strings, others numbers or booleans.
const fieldValue = z.union([z.string(), z.number(), z.boolean()], 'expected a string, number or boolean');
const customFieldMap = z.record(text, fieldValue).check(z.refine((m) => Object.keys(m).length > 0, 'expected at least one field: {Name: value}'));
/** ISO 639-1, as Highlights carry it. */
const languageCode = z.string().check(z.regex(/^[a-z]{2}$/i, 'expected a two-letter ISO 639-1 code such as en, de, fr'));

const labelRule = strict({
  when: strict({
    tag: z.optional(text),
    // Highlight statuses and Front's own (assigned, unassigned, ...) both match; see highlight/labels.ts.
    status: z.optional(text),
    inbox: z.optional(text),
    customField: z.optional(customFieldMap),
    language: z.optional(languageCode),
  }).check(z.refine((when) => Object.keys(when).length === 1, `expected exactly one of ${LABEL_RULE_KINDS.join(', ')}`)),
  label: text,
});

const destination = z.discriminatedUnion('type', [
  strict({ type: z.literal('ndjson'), path: text }),
  strict({
    type: z.literal('http'),
    url: httpUrl,
    token: z.optional(secret),
    batchSize: z.optional(intBetween(1, 1000)),
    timeoutMs: z.optional(timeoutMs),
    retries: z.optional(retries),
    retryBaseMs: z.optional(retryBaseMs),
    signingSecret: z.optional(secret),
  }),
]);

const scope = z.partial(strict({
  inboxes: z.array(text),
  /** Front team names: the union of each team's inboxes. */
  teams: z.array(text),
  tags: z.array(text),
  excludeTags: z.array(text),
  statuses: z.array(z.enum(STATUSES)),
  /** {Plan: Enterprise} or {Plan: [Enterprise, Business]}: every field named holds one of its values. */
  customFields: z.record(text, z.union([fieldValue, z.array(fieldValue).check(z.minLength(1, 'expected at least one value'))])),
}));

/** A custom pattern's name becomes its marker ([order-id]), so it is kept plain. */
const redactPattern = strict({
  name: z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a lower-case name of letters, digits, "_" or "-" (at most 32), e.g. order-id')),
  regex: z.string().check(z.minLength(1, 'expected a non-empty regular expression')),
}).check(
  z.superRefine((p, ctx) => {
    const compiled = compilePattern(p);
    if (typeof compiled === 'string') ctx.addIssue({ code: 'custom', message: `regex ${compiled}`, path: ['regex'] });
  }),
);
const redactKinds = z.array(z.enum(REDACT_KINDS));
// `redact: [email, phone]`, or `redact: {kinds: [email], patterns: [{name, regex}]}` with company ids.
const redact = z.union([redactKinds, z.partial(strict({ kinds: redactKinds, patterns: z.array(redactPattern) }))]);

const routing = z.partial(strict({ labels: z.array(labelRule) }));

// One teamspace: where its Highlights go, which conversations it takes and how they are labelled.
const subscription = strict({
  name: z.string().check(z.regex(SUBSCRIPTION_NAME, 'expected a name of letters, digits, ".", "_" or "-" (at most 64)')),
  destination,
  scope: z.optional(z.nullable(scope)),
  routing: z.optional(z.nullable(routing)),
});

// A section left with every key commented out is null in YAML; that means "not set", not an error.
export const fileConfigSchema = z.partial(
  strict({
    front: nullablePartial({
      token: secret,
      url: httpUrl,
      plan: z.enum(PLANS),
      rpm: z.nullable(intAtLeast(1)),
      share: positiveNumber.check(z.lte(1, 'expected a number greater than 0 and at most 1')),
      burstPerSecond: positiveNumber,
      rateWindowMs: intAtLeast(1),
      concurrency: intBetween(1, 16),
      timeoutMs,
      retries,
      retryBaseMs,
      maxResponseMB: intBetween(1, 4096),
      oauth: nullablePartial({ clientId: text, clientSecret: secret, redirectUri: httpUrl }),
    }),
    store: nullablePartial({ path: text }),
    state: nullablePartial({ url: text }),
    destination: z.nullable(destination),
    scope: z.nullable(scope),
    routing: z.nullable(routing),
    subscriptions: z.array(subscription),
    highlights: nullablePartial({
      maxTextLength: intBetween(100, 100_000),
      textFrom: z.enum(TEXT_FROM),
      redact,
      pseudonymize: z.boolean(),
      /** The pseudonyms' HMAC key; better from FRONT_IMPORT_PII_KEY than in a file. */
      piiKey: secret,
    }),
    sync: nullablePartial({
      initialWindow: z.string().check(z.refine((value) => durationMs(value) !== null, DURATION_EXPECTATION)),
      overlapSeconds: intBetween(0, 86_400),
    }),
    listen: nullablePartial({
      host: text,
      port: intBetween(0, 65_535),
      path: z.string().check(z.startsWith('/', 'expected a path starting with /')),
      secret,
      ruleSecret: secret,
      ruleSecretHeader: z.string().check(z.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name')),
    }),
  }),
);

export type FileConfig = z.infer<typeof fileConfigSchema>;
