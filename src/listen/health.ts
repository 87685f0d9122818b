// What `/healthz` says about delivery: a listener whose batches fail (the destination down, Front
// failing) is alive but not doing its job, which a monitor must see. Degraded from a failed batch
// until the next good one.

export type HealthReport = { status: 'ok' } | { status: 'degraded'; reason: string; since: string };

export class BatchHealth {
  private failure: { reason: string; since: string } | null = null;

  /** A batch failed at `atMs`: degraded since the first failure in a row, with the latest reason. */
  failed(reason: string, atMs: number): void {
    this.failure = { reason, since: this.failure?.since ?? new Date(atMs).toISOString() };
  }

  succeeded(): void {
    this.failure = null;
  }

  report(): HealthReport {
    return this.failure ? { status: 'degraded', ...this.failure } : { status: 'ok' };
  }
}
