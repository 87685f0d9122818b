// The one rule for which URL query parameters carry a secret: used for what is printed (values
// masked), what is stored (dropped from a destination's identity, which the state keeps) and what
// identifies a destination (everything else is kept). An exact list of names, not a substring
// match: `region_code`, `keyword`, `author`, `design`, `postcode` and `passage` are ordinary
// parameters that tell one receiver from another, and dropping them merged different destinations'
// delivery state.
//
// Names are compared case-insensitively with `-`, `_` and `.` ignored, so `api_key`, `api-key`,
// `apiKey` and `API.KEY` are one name. The list comes from where secrets ride in real URLs: OAuth
// 2.0 (RFC 6749/6750: access_token, refresh_token, id_token, code, client_secret), AWS SigV4
// presigned URLs (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token) and SigV2
// (Signature, AWSAccessKeyId), Google Cloud Storage V4 signed URLs (X-Goog-Signature,
// X-Goog-Credential) and API keys (key), Azure SAS (sig), Azure Functions keys (code), CloudFront
// signed URLs (Signature), OAuth 1.0a (oauth_signature, oauth_token), Slack and Firebase (token, auth), webhook
// tools (secret, apikey, api_token, hmac), session ids (session, sessionid, PHPSESSID, jsessionid)
// and plain credentials (password, passwd, pwd, pass, jwt).

const NAMES = [
  // tokens
  'token', 'access_token', 'accesstoken', 'refresh_token', 'id_token', 'auth_token', 'api_token', 'bearer', 'jwt',
  'session_token', 'security_token', 'oauth_token', 'oauth_token_secret', 'x-amz-security-token', 'x-goog-security-token',
  // keys
  'key', 'api_key', 'apikey', 'x-api-key', 'access_key', 'secret_key', 'private_key', 'auth_key', 'client_key', 'subscription-key',
  'ocp-apim-subscription-key', 'awsaccesskeyid', 'x-amz-credential', 'x-goog-credential',
  // secrets and passwords
  'secret', 'client_secret', 'webhook_secret', 'shared_secret', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'credential',
  'credentials',
  // signatures
  'sig', 'signature', 'x-amz-signature', 'x-goog-signature', 'oauth_signature', 'hmac',
  // authorisation (`code`: an OAuth authorisation code, or an Azure Functions key) and sessions
  'auth', 'authorization', 'code', 'session', 'sessionid', 'session_id', 'phpsessid', 'jsessionid', 'otp',
] as const;

export const SECRET_PARAM_NAMES: readonly string[] = NAMES;

const normalise = (name: string): string => name.toLowerCase().replace(/[-_.]/g, '');
const SECRET = new Set(NAMES.map(normalise));

/** Whether a query parameter of this name carries a secret. */
export function isSecretParam(name: string): boolean {
  return SECRET.has(normalise(name));
}

/** The values of a URL's secret query parameters (for the output scrubber); none for a non-URL. */
export function secretParamValues(raw: string): string[] {
  const url = parse(raw);
  return url ? [...url.searchParams].filter(([name]) => isSecretParam(name)).map(([, value]) => value) : [];
}

/** The names of a URL's secret query parameters, as written, once each. */
export function secretParamNames(raw: string): string[] {
  const url = parse(raw);
  return url ? [...new Set([...url.searchParams.keys()].filter(isSecretParam))] : [];
}

/** The URL to show a person: credentials and secret parameters' values replaced with `***`. */
export function maskUrl(raw: string): string {
  const url = parse(raw);
  if (!url) return raw;
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  // URLSearchParams leaves `*` unencoded.
  if (url.search) url.search = new URLSearchParams([...url.searchParams].map(([name, value]): [string, string] => [name, isSecretParam(name) ? '***' : value])).toString();
  return url.toString();
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
