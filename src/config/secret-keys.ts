// The config keys that hold secrets, apart from the schema so that what names or masks them (error
// messages, `config`'s report) does not load zod.

/** Keys whose values are never shown in an error, whatever is wrong with them. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'front.token',
  'destination.token',
  'destination.signingSecret',
  'listen.secret',
  'listen.ruleSecret',
]);

/** `subscriptions[2].destination.token` is as secret as `destination.token`. */
export function isSecretKey(path: string): boolean {
  return SECRET_KEYS.has(path.replace(/^subscriptions\[\d+\]\./, ''));
}
