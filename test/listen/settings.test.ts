import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { resolveListenSettings, startupLine } from '../../src/listen/settings.ts';

const config = {
  host: '127.0.0.1',
  port: 8787,
  path: '/front/webhook',
  secret: null as string | null,
  ruleSecret: null as string | null,
  ruleSecretHeader: 'X-Front-Import-Secret',
};

describe('resolveListenSettings', () => {
  it('refuses to start with no way to authenticate Front, naming the setting to use', () => {
    const attempt = () => resolveListenSettings({ insecureNoVerify: false }, config);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/FRONT_WEBHOOK_SECRET.*listen\.secret/);
    expect(() => resolveListenSettings({ insecureNoVerify: true }, config)).not.toThrow();
    expect(() => resolveListenSettings({ insecureNoVerify: false }, { ...config, ruleSecret: 'rule-secret' })).not.toThrow();
  });

  it('lets flags win over config and normalises the path', () => {
    const s = resolveListenSettings({ insecureNoVerify: false, port: 9000, host: '0.0.0.0', path: '/hooks/front/' }, { ...config, secret: 's3cret-value' });
    expect(s).toMatchObject({ host: '0.0.0.0', port: 9000, path: '/hooks/front' });
    expect(s.auth).toEqual({ secret: 's3cret-value', ruleSecret: null, ruleSecretHeader: 'x-front-import-secret', insecure: false });
    expect(resolveListenSettings({ insecureNoVerify: true }, config)).toMatchObject({ host: '127.0.0.1', port: 8787, path: '/front/webhook' });
  });

  it('rejects a path that is not one', () => {
    expect(() => resolveListenSettings({ insecureNoVerify: true, path: 'front/webhook' }, config)).toThrow(UsageError);
    expect(() => resolveListenSettings({ insecureNoVerify: true, path: '/a?b=1' }, config)).toThrow(UsageError);
  });
});

describe('startupLine', () => {
  it('says where to point Front and what a request must prove, without any secret', () => {
    const s = resolveListenSettings({ insecureNoVerify: false }, { ...config, secret: 'app-secret-xyz', ruleSecret: 'rule-secret-xyz' });
    const line = startupLine(s, 41234);
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:41234\/front\/webhook \(app webhooks: signature required; rule webhooks: /);
    expect(line).not.toMatch(/app-secret-xyz|rule-secret-xyz/);
    expect(startupLine(resolveListenSettings({ insecureNoVerify: true, host: '::1' }, config), 1)).toMatch(/^listening on http:\/\/\[::1\]:1\/front\/webhook \(INSECURE/);
  });
});
