// HTTPS_PROXY / HTTP_PROXY / NO_PROXY through the real binary: every request to Front and to the
// Proxies are read from the process environment (proxy-from-env), so every run here is the binary.
// destination goes through the proxy the environment names (counted there), NO_PROXY exempts a
// host, proxy credentials are used and never printed.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, DEST_TOKEN, importable, scenario, statusOf } from '../helpers/e2e.ts';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.ts';

const keep = closeAfterEach();
const proxies: CountingProxy[] = [];
const proxy = async (opts?: { credentials?: string }) => {
  const p = await startCountingProxy(opts);
  proxies.push(p);
  return p;
};
const hostOf = (url: string) => new URL(url).host;
// A self-signed certificate for 127.0.0.1 (test only, valid until 2126): the receiver serves HTTPS
// with it, and the binary trusts it only when NODE_EXTRA_CA_CERTS names it, as a corporate CA would be.
const CERT_PATH = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
const tls = { key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url), 'utf8'), cert: readFileSync(CERT_PATH, 'utf8') };

describe('proxy from the environment', () => {
  it('sends every Front request and every delivery through HTTP_PROXY', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 81 } }));
    const p = await proxy();
    try {
      const r = await s.binary(['backfill', '--since', '8d', '--json'], { HTTP_PROXY: p.url });
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      const frontRequests = s.sandbox.control.requestLog().length;
      expect(frontRequests).toBeGreaterThan(0);
      expect(p.to(hostOf(s.sandbox.url))).toHaveLength(frontRequests);
      expect(summary.requests.requests).toBe(frontRequests);
      const posts = p.to(hostOf(s.receiver.url));
      expect(posts.length).toBe(s.receiver.requests);
      expect(posts.every((q) => q.method === 'POST')).toBe(true);
      // Kept-alive tunnels: far fewer CONNECTs than requests.
      expect(p.tunnels.length).toBeLessThan(frontRequests + posts.length);
      expect((await statusOf(s)).totals!.delivered).toBe(importable(s.sandbox.control.truth().conversations).length);
    } finally {
      await p.close();
    }
  });

  it('lower-case http_proxy works too, and NO_PROXY exempts the hosts it names', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 82 } }));
    const p = await proxy();
    try {
      const r = await s.binary(['backfill', '--since', '8d'], { http_proxy: p.url, NO_PROXY: hostOf(s.receiver.url) });
      expect(r.code, r.stderr).toBe(0);
      expect(p.to(hostOf(s.sandbox.url)).length).toBe(s.sandbox.control.requestLog().length);
      expect(p.to(hostOf(s.receiver.url))).toHaveLength(0);
      expect(p.tunnels).not.toContain(hostOf(s.receiver.url));
      expect(s.receiver.requests).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it('sends the credentials in the proxy URL to the proxy, and never prints them', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 83 } }));
    const p = await proxy({ credentials: 'ops:pr0xy-pa55word' });
    try {
      const ok = await s.binary(['connect', '--check'], { HTTP_PROXY: p.url.replace('//', '//ops:pr0xy-pa55word@') });
      expect(ok.code, ok.stderr).toBe(0);
      expect(p.to(hostOf(s.sandbox.url)).length).toBeGreaterThan(0);

      const refused = await s.binary(['connect', '--check', '--verbose'], { HTTP_PROXY: p.url.replace('//', '//ops:wrong-pa55word@') });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/407/);
      for (const out of [ok.stdout, ok.stderr, refused.stdout, refused.stderr]) {
        expect(out).not.toContain('pa55word');
        expect(out).not.toContain(s.sandbox.tokens.full);
        expect(out).not.toContain(DEST_TOKEN);
      }
    } finally {
      await p.close();
    }
  });

  it('tunnels an https destination through HTTPS_PROXY (end to end encrypted), while plain-http Front is not proxied by it', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 85 }, receiverOptions: { tls } }));
    expect(s.receiver.url).toMatch(/^https:/);
    const p = await proxy();
    try {
      const r = await s.binary(['backfill', '--since', '8d', '--json'], { HTTPS_PROXY: p.url, NODE_EXTRA_CA_CERTS: CERT_PATH });
      expect(r.code, r.stderr).toBe(0);
      const receiverHost = hostOf(s.receiver.url);
      expect(s.receiver.requests).toBeGreaterThan(0);
      expect(p.tunnels.filter((t) => t === receiverHost).length).toBeGreaterThan(0);
      // Inside the tunnel the proxy sees only TLS records: no request line, no token.
      expect(p.to(receiverHost)).toHaveLength(0);
      // HTTPS_PROXY is for https targets; the sandbox is plain http and goes direct.
      expect(p.tunnels).not.toContain(hostOf(s.sandbox.url));
      expect((await statusOf(s)).totals!.delivered).toBe(importable(s.sandbox.control.truth().conversations).length);
    } finally {
      await p.close();
    }
  });

  it('an https destination whose certificate is not trusted fails the run at once with the reason and the fix; nothing is marked delivered', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 4, seed: 86 }, receiverOptions: { tls } }));
    const p = await proxy();
    try {
      const r = await s.binary(['backfill', '--since', '8d'], { HTTPS_PROXY: p.url, NODE_EXTRA_CA_CERTS: undefined });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*NODE_EXTRA_CA_CERTS/);
      // Not retried: the same handshake would fail the same way.
      expect(p.tunnels.filter((t) => t === hostOf(s.receiver.url))).toHaveLength(1);
      expect(r.stderr).not.toContain(DEST_TOKEN);
      expect(s.receiver.requests).toBe(0);
      const totals = (await statusOf(s)).totals!;
      expect(totals.delivered).toBe(0);
      expect(totals.pending).toBe(importable(s.sandbox.control.truth().conversations).length);
    } finally {
      await p.close();
    }
  });

  it('refuses a proxy variable that is not a URL with a config error naming it', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 1, seed: 84 } }));
    const r = await s.binary(['connect', '--check'], { HTTP_PROXY: 'http://[not a host' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/proxy for Front .*not a valid URL/);
    expect(s.sandbox.control.requestLog()).toHaveLength(0);
  });
});
