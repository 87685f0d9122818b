// What `replay`'s conversion worker is given (convert-workers.ts starts it, convert-worker.ts is it):
// the subscription's rules as plain data, rebuilt on each side by the same function, and what it
// answers. A module of its own, so the worker loads none of the code that starts workers.

import { redactorFor, type RedactConfig } from '../../redact/from-config.js';
import type { SubscriptionRules } from '../prepare/subscription-highlight.js';
import type { PageLines } from './page-lines.js';

/** What a worker rebuilds the subscription's rules from: plain data (the Redactor holds functions), handed over once. */
export interface ConversionRules {
  subscription: Omit<SubscriptionRules, 'redactor'>;
  redact: RedactConfig;
}

/** Only what the rules are made of, so nothing else of the subscription or the config is copied to a worker. */
export function conversionRules(subscription: Omit<SubscriptionRules, 'redactor'>, settings: RedactConfig): ConversionRules {
  const { scope, labelRules, customFieldsUnreadable } = subscription;
  return {
    subscription: { scope, labelRules, ...(customFieldsUnreadable ? { customFieldsUnreadable } : {}) },
    redact: { redact: settings.redact, pseudonymize: settings.pseudonymize, piiKey: settings.piiKey },
  };
}

/** The subscription's rules, the redaction built from the settings as every run builds it. */
export function rulesOf(c: ConversionRules): SubscriptionRules {
  const redactor = redactorFor(c.redact);
  return { ...c.subscription, ...(redactor.active ? { redactor } : {}) };
}

/** What a worker answers for a page: its lines, or that it could not convert them. */
export type WorkerAnswer = { page: PageLines } | { failed: true };
