import type { ImportDeps } from '../../src/pipeline/index.ts';

/** An import run's deps for a test: no destination, a fixed clock, output dropped unless given (an undefined member keeps the default). */
export function runDeps(given: Pick<ImportDeps, 'api' | 'store' | 'settings'> & Partial<ImportDeps>): ImportDeps {
  return {
    command: 'backfill',
    targets: [],
    signal: new AbortController().signal,
    clock: () => 3_000_000,
    warn: () => undefined,
    debug: () => undefined,
    progress: () => undefined,
    ...(Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as typeof given),
  };
}
