// Issue 23 points 3 and 5: one rule for which query parameters carry a secret, held to names taken
// from real signed and authenticated URLs, and to ordinary names that merely contain "code", "key",
// "auth", "sig" or "pass" (which the former substring rule dropped from a destination's identity).

import { describe, expect, it } from 'vitest';
import { canonicalUrl, formerCanonicalUrl } from '../../src/config/destination-key.ts';
import { isSecretParam, maskUrl, secretParamNames, secretParamValues } from '../../src/shared/secret-params.ts';

/** As written in real URLs: OAuth 2.0, AWS SigV4/V2, GCS V4, Azure SAS and Functions, CloudFront, OAuth 1.0a, Slack, Firebase, sessions. */
const REAL_WORLD_SECRET_NAMES = [
  'token', 'access_token', 'refresh_token', 'id_token', 'code', 'client_secret', 'api_key', 'apikey', 'apiKey', 'API-KEY', 'key',
  'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'AWSAccessKeyId', 'Signature', 'X-Goog-Signature', 'X-Goog-Credential',
  'sig', 'oauth_signature', 'oauth_token', 'auth', 'authorization', 'password', 'passwd', 'pwd', 'pass', 'jwt', 'secret', 'session',
  'sessionid', 'PHPSESSID', 'jsessionid', 'subscription-key', 'x-api-key', 'hmac', 'auth_token', 'api_token', 'private_key',
];

/** Ordinary parameters that tell one receiver from another, many containing a former "secret" word. */
const ORDINARY_NAMES = [
  'region_code', 'keyword', 'keywords', 'author', 'authority', 'design', 'postcode', 'zipcode', 'passage', 'passenger', 'keyboard',
  'signal', 'signup', 'monkey', 'secretary', 'tokenizer', 'session_timeout', 'country_code', 'encoding', 'barcode', 'sort_key',
  'team', 'tenant', 'region', 'format', 'page', 'limit', 'sv', 'se', 'sp', 'sr', 'st', 'spr', 'X-Amz-Date', 'X-Amz-Expires',
  'X-Amz-Algorithm', 'X-Amz-SignedHeaders', 'Key-Pair-Id', 'Expires', 'v', 'locale',
];

describe('secret query parameters: one exact list', () => {
  it.each(REAL_WORLD_SECRET_NAMES)('%s is a secret', (name) => expect(isSecretParam(name)).toBe(true));
  it.each(ORDINARY_NAMES)('%s is an ordinary parameter', (name) => expect(isSecretParam(name)).toBe(false));

  it("a destination's identity keeps every ordinary parameter and drops every secret one", () => {
    const ordinary = ORDINARY_NAMES.map((n, i) => `${encodeURIComponent(n)}=o${i}`);
    const secret = REAL_WORLD_SECRET_NAMES.map((n, i) => `${encodeURIComponent(n)}=s3cr3t-value-${i}`);
    const key = canonicalUrl(`https://Next.Example.com:443/v1/highlights?${[...secret, ...ordinary].join('&')}`);
    const kept = [...new URL(key).searchParams.keys()].sort();
    expect(kept).toEqual([...ORDINARY_NAMES].sort());
    expect(key).not.toContain('s3cr3t');
    expect(key.startsWith('https://next.example.com/v1/highlights?')).toBe(true);
  });

  it('?region_code=eu and ?region_code=us are two destinations (the former rule made them one)', () => {
    const eu = 'https://next.example.com/v1/h?region_code=eu&jwt=aaaa.bbbb.cccc';
    const us = 'https://next.example.com/v1/h?region_code=us&jwt=aaaa.bbbb.cccc';
    expect(canonicalUrl(eu)).not.toBe(canonicalUrl(us));
    expect(canonicalUrl(eu)).toBe('https://next.example.com/v1/h?region_code=eu');
    expect(formerCanonicalUrl(eu)).toBe(formerCanonicalUrl(us));
  });

  it('printing masks the values of secret parameters and credentials, and the scrubber is given the values', () => {
    const url = 'https://user:pw@next.example.com/h?region_code=eu&jwt=eyJhbGciOi.x.y&Pwd=hunter2hunter2';
    expect(maskUrl(url)).toBe('https://***:***@next.example.com/h?region_code=eu&jwt=***&Pwd=***');
    expect(secretParamValues(url)).toEqual(['eyJhbGciOi.x.y', 'hunter2hunter2']);
    expect(secretParamNames(url)).toEqual(['jwt', 'Pwd']);
  });
});
