// The pg driver, loaded without the cost of its Cloudflare check. As it loads, pg asks whether it
// runs in Cloudflare Workers: where `navigator` is missing (Node 20; Node 21 and later define it) it
// builds a fetch `Response` to find out, and that loads Node's whole fetch implementation (undici):
// about 30 ms of every command on a PostgreSQL state, a cron job's `status` included. A navigator
// as Node 21 has one, there only while pg loads, answers the question first; nothing else pg loads
// reads it, and it is gone before any other code runs.

import { createRequire } from 'node:module';
import type pg from 'pg';

export const pgDriver: typeof pg = loadDriver();

function loadDriver(): typeof pg {
  const require = createRequire(import.meta.url);
  const global = globalThis as { navigator?: unknown };
  if (global.navigator !== undefined) return require('pg') as typeof pg;
  global.navigator = { userAgent: `Node.js/${process.versions.node}` };
  try {
    return require('pg') as typeof pg;
  } finally {
    delete global.navigator;
  }
}
