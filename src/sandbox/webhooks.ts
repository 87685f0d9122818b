// Application webhooks, as Front sends them: a validation request with `x-front-challenge` when the
// webhook is set, then one signed POST per event. Deliveries go out one at a time, in event order,
// without holding up the mutation that caused them; flush() waits for the queue to drain.

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

export interface WebhookPreview {
  id: string;
  type: string;
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
    this.target = target && { url: target.url, secret: target.secret };
    if (!this.target) return;
    const challenge = randomUUID();
    const body = JSON.stringify({ type: 'sync', authorization: { id: this.companyId } });
    this.enqueue(this.target, body, { 'x-front-challenge': challenge }, (status, answer) => ({
      eventId: null,
      type: 'sync',
      status,
      challengeAnswered: challengeOf(answer) === challenge,
    }));
  }

  /** Queues one delivery per event preview, if a webhook is set. */
  send(previews: WebhookPreview[]): void {
    const target = this.target;
    if (!target) return;
    for (const payload of previews) {
      const body = JSON.stringify({ type: payload.type, authorization: { id: this.companyId }, payload });
      this.enqueue(target, body, {}, (status) => ({ eventId: payload.id, type: payload.type, status }));
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
      const headers = {
        'content-type': 'application/json',
        'x-front-request-timestamp': timestamp,
        'x-front-signature': signWebhook(target.secret, timestamp, body),
        ...extraHeaders,
      };
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
