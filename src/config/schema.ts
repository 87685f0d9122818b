// The shape of a config file, checked strictly: an unknown key is an error (usually a typo that
// would otherwise be silently ignored). Every key is optional; defaults are applied in resolve.ts
// after the environment and flags have had their say.
//
// Each check carries the "expected ..." phrase a user reads; format-issues.ts adds the key path
// and what was found.

import { z } from 'zod';
import { PLANS } from '../front-api/plans.js';
import { TEXT_FROM } from '../highlight/types.js';
import { closestKey } from '../shared/did-you-mean.js';
import { DURATION_EXPECTATION, durationMs } from './duration.js';
import { HTTP_URL_EXPECTATION, isHttpUrl } from './http-url.js';
import { STATUSES } from './types.js';

export const LABEL_RULE_KINDS = ['tag', 'status', 'inbox'] as const;

/** A subscription's name: it appears in flags, status lines and file names, so it is kept plain. */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
  });
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
  return z.number().int(phrase).min(min, phrase).max(max, phrase);
}

function intAtLeast(min: number) {
  const phrase = min === 1 ? 'expected a positive integer' : `expected an integer >= ${min}`;
  return z.number().int(phrase).min(min, phrase);
}

const positiveNumber = z.number().gt(0, 'expected a number greater than 0');
const text = z.string().min(1, 'expected a non-empty string');
const secret = z.string().trim().min(1, 'expected a non-empty string').nullable();
const httpUrl = z.string().refine(isHttpUrl, HTTP_URL_EXPECTATION);
const retries = intBetween(0, 20);
const timeoutMs = intAtLeast(1);
const retryBaseMs = intAtLeast(0);

const labelRule = strict({
  when: strict({
    tag: text.optional(),
    // Highlight statuses and Front's own (assigned, unassigned, ...) both match; see highlight/labels.ts.
    status: text.optional(),
    inbox: text.optional(),
  }).refine(
    (when) => Object.keys(when).length === 1,
    `expected exactly one of ${LABEL_RULE_KINDS.join(', ')}`,
  ),
  label: text,
});

const destination = z.discriminatedUnion('type', [
  strict({ type: z.literal('ndjson'), path: text }),
  strict({
    type: z.literal('http'),
    url: httpUrl,
    token: secret.optional(),
    batchSize: intBetween(1, 1000).optional(),
    timeoutMs: timeoutMs.optional(),
    retries: retries.optional(),
    retryBaseMs: retryBaseMs.optional(),
    signingSecret: secret.optional(),
  }),
]);

const scope = strict({
  inboxes: z.array(text),
  tags: z.array(text),
  excludeTags: z.array(text),
  statuses: z.array(z.enum(STATUSES)),
}).partial();

const routing = strict({ labels: z.array(labelRule) }).partial();

// One teamspace: where its Highlights go, which conversations it takes and how they are labelled.
const subscription = strict({
  name: z.string().regex(SUBSCRIPTION_NAME, 'expected a name of letters, digits, ".", "_" or "-" (at most 64)'),
  destination,
  scope: scope.nullable().optional(),
  routing: routing.nullable().optional(),
});

// A section left with every key commented out is null in YAML; that means "not set", not an error.
export const fileConfigSchema = strict({
  front: strict({
    token: secret,
    url: httpUrl,
    plan: z.enum(PLANS),
    rpm: intAtLeast(1).nullable(),
    share: positiveNumber.lte(1, 'expected a number greater than 0 and at most 1'),
    burstPerSecond: positiveNumber,
    rateWindowMs: intAtLeast(1),
    concurrency: intBetween(1, 16),
    timeoutMs,
    retries,
    retryBaseMs,
  }).partial().nullable(),
  store: strict({ path: text }).partial().nullable(),
  state: strict({ url: text }).partial().nullable(),
  destination: destination.nullable(),
  scope: scope.nullable(),
  routing: routing.nullable(),
  subscriptions: z.array(subscription),
  highlights: strict({ maxTextLength: intBetween(100, 100_000), textFrom: z.enum(TEXT_FROM) }).partial().nullable(),
  sync: strict({
    initialWindow: z.string().refine((value) => durationMs(value) !== null, DURATION_EXPECTATION),
    overlapSeconds: intBetween(0, 86_400),
  }).partial().nullable(),
  listen: strict({
    host: text,
    port: intBetween(0, 65_535),
    path: z.string().startsWith('/', 'expected a path starting with /'),
    secret,
    ruleSecret: secret,
    ruleSecretHeader: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name'),
  }).partial().nullable(),
}).partial();

export type FileConfig = z.infer<typeof fileConfigSchema>;
