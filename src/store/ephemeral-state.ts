// The guard rail for ephemeral runners: a CI job or a container that keeps its SQLite state where
// the next run will not find it starts over every time (every run a first run, every Highlight
// re-sent). Pure: the caller passes what it knows about the host.

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { relative, isAbsolute } from 'node:path';
import type { StoreLocation } from './location.js';

export interface HostFacts {
  inContainer: boolean;
  /** The OS temp directory (os.tmpdir()). */
  tmpDir: string;
}

/**
 * In CI (CI=true) the default state file or one under the temp directory is thrown away with the
 * job; in a container, the default file lives in the container's own layer. Explicit paths
 * elsewhere are taken as a mounted volume or a cache the user set up.
 */
export function ephemeralStateWarning(location: StoreLocation, env: Record<string, string | undefined>, host: HostFacts): string | null {
  if (location.kind !== 'sqlite') return null;
  const inCi = env.CI === 'true' || env.CI === '1';
  const underTemp = isInside(location.path, host.tmpDir);
  const where = inCi ? 'this CI job' : 'this container';
  if (!(inCi && (location.isDefault || underTemp)) && !(host.inContainer && location.isDefault)) return null;
  return (
    `the state file ${location.path} will not survive ${where}: the next run would start over and send everything again; ` +
    'keep the state with --state postgres://user@host/db (or FRONT_IMPORT_STATE_URL)'
  );
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Docker and Podman mark their containers with a file; Kubernetes sets its service variables. */
export function hostFacts(env: Record<string, string | undefined>): HostFacts {
  const inContainer = existsSync('/.dockerenv') || existsSync('/run/.containerenv') || env.KUBERNETES_SERVICE_HOST !== undefined;
  return { inContainer, tmpDir: tmpdir() };
}
