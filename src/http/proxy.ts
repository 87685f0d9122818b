// Which proxy, if any, a service's requests go through, and the agents that carry them. Each
// service talks to one origin (redirects are followed only within it), so the choice is made once
// per service, from the standard variables as curl reads them (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
// NO_PROXY, upper or lower case) by proxy-from-env. The tunnel is hpagent's (the agent got's own
// documentation names): a CONNECT per kept-alive connection, for https and http targets alike, so
// the proxy never sees the token of an https request. (http-proxy-agent re-sent requests on a
// kept-alive socket when driven by got 14, which a delivery must never do.)

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';
import { ConfigError } from '../errors.js';

export interface ServiceAgents {
  http: HttpAgent;
  https: HttpsAgent;
  /** scheme://host:port of the proxy, without credentials; null when direct. */
  proxy: string | null;
  /** The proxy's password, which must be scrubbed like a token. */
  proxySecret: string | null;
}

/**
 * Keep-alive agents for requests to `serviceUrl`. proxy-from-env reads process.env, which is the
 * environment the CLI runs with; a value that is not a URL is a config error, not a silent direct
 * connection that a firewall would then drop.
 */
export function agentsFor(serviceUrl: string, what: string): ServiceAgents {
  const proxyUrl = getProxyForUrl(serviceUrl);
  if (!proxyUrl) return { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }), proxy: null, proxySecret: null };
  let proxy: URL;
  try {
    proxy = new URL(proxyUrl);
  } catch {
    throw new ConfigError(`the proxy for ${what} (from HTTPS_PROXY/HTTP_PROXY) is not a valid URL`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new ConfigError(`the proxy for ${what} must be an http or https URL, not ${proxy.protocol.replace(':', '')}`);
  }
  const options = { proxy, keepAlive: true };
  return {
    // Both agents are made; got picks the one for the target's scheme.
    http: new HttpProxyAgent(options),
    https: new HttpsProxyAgent(options),
    proxy: `${proxy.protocol}//${proxy.host}`,
    proxySecret: proxy.password ? decodeURIComponent(proxy.password) : null,
  };
}
