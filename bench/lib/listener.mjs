// Requests per Highlight of `listen`: the real binary receiving the sandbox's webhooks. App webhooks
// (signed previews) for bursts of events on a set of conversations, and rule webhooks sending full
// event data, which should cost no Front request at all.

import { spawn } from 'node:child_process';
import { startSandbox } from '../../dist/sandbox/index.js';
import { BIN, workdir } from './child.mjs';
import { fixed, int } from './table.mjs';

const APP_SECRET = 'bench-app-signing-secret';
const RULE_SECRET = 'bench-rule-shared-secret';
export const LISTENER_WORKLOAD = { conversations: 200, eventsPerBurst: 5 };
const FULL_EVENTS = 200;

/** Starts `listen` in `work`; resolves with its URL and a stop function once it says where it listens. */
function startListen(work) {
  const child = spawn(process.execPath, [BIN, 'listen'], { cwd: work.dir, env: work.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('close', resolve);
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop, output: () => out });
      }
    });
    child.on('close', (code) => reject(new Error(`listen exited ${code}: ${out}`)));
  });
}

async function settled(work, events) {
  for (let i = 0; i < 600; i++) {
    const status = JSON.parse((await work.run(['status', '--json'])).stdout);
    if (status.listener.processed >= events && status.listener.queued === 0 && status.totals.pending === 0) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the listener did not process every event in time');
}

/** Bursts of mutations, one conversation at a time: each mutation is one webhook event. */
function burst(control, id, n, round) {
  for (let k = 0; k < n; k++) {
    if (k % 2 === 0) control.addMessage(id, { text: `Burst ${round}.${k}: still waiting on this.` });
    else control.tag(id, `burst-${k}`);
  }
}

async function run(kind) {
  const sandbox = await startSandbox({ seed: 'bench-listen', conversations: LISTENER_WORKLOAD.conversations, days: 7, inboxes: 4, rateLimit: false });
  const work = workdir({
    front: { url: sandbox.url, retryBaseMs: 50 },
    env: { FRONT_API_TOKEN: sandbox.tokens.full, FRONT_IMPORT_NO_PACING: '1', FRONT_WEBHOOK_SECRET: APP_SECRET },
    extra: ['listen:', '  port: 0', `  ruleSecret: ${RULE_SECRET}`],
  });
  const listener = await startListen(work);
  try {
    const { control } = sandbox;
    control.setWebhook(kind === 'app' ? { url: listener.url, secret: APP_SECRET } : { url: listener.url, secret: RULE_SECRET, kind: 'rule-full' });
    await control.flushWebhooks();
    const ids = control.truth().conversations.filter((c) => c.status !== 'deleted').map((c) => c.id);
    control.clearRequestLog();
    const before = control.webhookLog().length;
    if (kind === 'app') {
      for (const id of ids.slice(0, LISTENER_WORKLOAD.conversations)) burst(control, id, LISTENER_WORKLOAD.eventsPerBurst, 0);
    } else {
      for (const id of ids.slice(0, FULL_EVENTS)) control.addMessage(id, { text: 'A reply sent with full event data.' });
    }
    await control.flushWebhooks();
    const sent = control.webhookLog().slice(before);
    const status = await settled(work, sent.length);
    // The ticket status names are read once per listener process, not per event.
    const requests = control.requestLog().filter((e) => e.path !== '/company/statuses').length;
    return { events: sent.length, refused: sent.filter((d) => d.status !== 200).length, requests, delivered: status.totals.delivered };
  } finally {
    await listener.stop();
    work.remove();
    await sandbox.close();
  }
}

export async function listenerRows(section, notes) {
  const app = await run('app');
  const full = await run('rule-full');
  notes.push(`listen, app webhooks: ${int(app.events)} events (${app.refused} refused), ${int(app.requests)} Front requests, ${int(app.delivered)} Highlight versions delivered`);
  notes.push(`listen, rule webhooks with full event data: ${int(full.events)} events (${full.refused} refused), ${int(full.requests)} Front requests, ${int(full.delivered)} Highlight versions delivered`);
  return [
    {
      section,
      figure: `listen: requests per Highlight for ${int(app.events)} app-webhook events over ${LISTENER_WORKLOAD.conversations} conversations in bursts of ${LISTENER_WORKLOAD.eventsPerBurst} (${int(app.requests)} requests; ${fixed(app.requests / app.delivered, 2)} per version delivered)`,
      value: fixed(app.requests / app.events, 3),
      goal: '<= 0.5',
      met: app.requests / app.events <= 0.5,
    },
    {
      section,
      figure: `listen: requests per Highlight for ${int(full.events)} rule webhooks with full event data`,
      value: fixed(full.requests / full.events, 3),
      goal: '0',
      met: full.requests === 0,
    },
  ];
}
