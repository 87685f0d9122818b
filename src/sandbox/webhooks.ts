// Webhooks, as Front sends them. Application webhooks: a validation request with `x-front-challenge`
// when the webhook is set, then one signed POST per event preview. Rule webhooks: one unsigned POST
// per event to a URL ending in the rule's secret, with the preview or (rule-full) the full event
// data. Deliveries go out one at a time, in event order, without holding up the mutation that
// caused them; flush() waits for the queue to drain.

import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { UsageError } from '../errors.js';
import type { WebhookDelivery, WebhookTarget } from './types.js';

export interface PostResult {
  status: number;
  body: string;
}

export type Poster = (url: string, headers: Record<string, string>, body: string, signal: AbortSignal) => Promise<PostResult>;

const POST_TIMEOUT_MS = 10_000;

export interface WebhookEvent {
  id: string;
  type: string;
  /** What an application webhook (and a plain rule webhook) carries: ids and links. */
  preview: unknown;
  /** What a rule webhook with full event data carries. */
  full: unknown;
}

/** base64(HMAC-SHA256(secret, `${timestamp}:${body}`)): Front's application-webhook signature. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('base64');
}

export class WebhookSender {
  private target: WebhookTarget | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly companyId: string,
    private readonly now: () => number,
    private readonly post: Poster = httpPost,
  ) {}

  set(target: WebhookTarget | null): void {
    if (target !== null && (typeof target.url !== 'string' || typeof target.secret !== 'string')) {
      throw new UsageError('setWebhook: expects {url, secret} or null');
    }
    if (target?.kind !== undefined && !['app', 'rule', 'rule-full'].includes(target.kind)) throw new UsageError('setWebhook: kind must be app, rule or rule-full');
    this.target = target && { url: target.url, secret: target.secret, kind: target.kind ?? 'app' };
    if (this.target?.kind !== 'app') return;
    const challenge = randomUUID();
    const body = JSON.stringify({ type: 'sync', authorization: { id: this.companyId } });
    this.enqueue(this.target, body, { 'x-front-challenge': challenge }, (status, answer) => ({
      eventId: null,
      type: 'sync',
      status,
      challengeAnswered: challengeOf(answer) === challenge,
    }));
  }

  /** Queues one delivery per event, if a webhook is set. */
  send(events: WebhookEvent[]): void {
    const target = this.target;
    if (!target) return;
    for (const event of events) {
      const describe = (status: number) => ({ eventId: event.id, type: event.type, status });
      if (target.kind === 'app') {
        const body = JSON.stringify({ type: event.type, authorization: { id: this.companyId }, payload: event.preview });
        this.enqueue(target, body, {}, describe);
      } else {
        const url = `${target.url.replace(/\/+$/, '')}/${encodeURIComponent(target.secret)}`;
        this.enqueue({ ...target, url }, JSON.stringify(target.kind === 'rule-full' ? event.full : event.preview), {}, describe);
      }
    }
  }

  flush(): Promise<void> {
    return this.queue;
  }

  log(): WebhookDelivery[] {
    return this.deliveries.map((d) => ({ ...d }));
  }

  close(): void {
    this.target = null;
    this.abort.abort();
  }

  private enqueue(
    target: WebhookTarget,
    body: string,
    extraHeaders: Record<string, string>,
    describe: (status: number, answer: string) => WebhookDelivery,
  ): void {
    this.queue = this.queue.then(async () => {
      if (this.abort.signal.aborted) return;
      const timestamp = String(Math.floor(this.now()));
      const signed: Record<string, string> = target.kind === 'app' ? { 'x-front-request-timestamp': timestamp, 'x-front-signature': signWebhook(target.secret, timestamp, body) } : {};
      const headers = { 'content-type': 'application/json', ...signed, ...extraHeaders };
      const result = await this.post(target.url, headers, body, this.abort.signal).catch(() => ({ status: 0, body: '' }));
      this.deliveries.push(describe(result.status, result.body));
    });
  }
}

function challengeOf(answer: string): unknown {
  try {
    return (JSON.parse(answer) as { challenge?: unknown }).challenge;
  } catch {
    return undefined;
  }
}

const httpPost: Poster = (url, headers, body, signal) =>
  new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, timeout: POST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('webhook receiver timed out')));
    req.on('error', reject);
    req.end(body);
  });
