// Whether another user can reach a path: as root, the test PostgreSQL server (run as `postgres`) and
// the permission tests (run as `nobody`) start programs that live inside the clone, and a clone in a
// folder only root may enter (`mktemp -d` makes one 0700) hides them from those users.
// Plain JavaScript (types in reachable.d.mts) so that pg-server.mjs, and through it the bench, can use it.

import { statSync } from 'node:fs';
import { dirname, parse } from 'node:path';

/** Whether every folder above `path` lets others through (the execute bit for others). */
export function othersMayEnter(path) {
  const { root } = parse(path);
  for (let at = dirname(path); at !== root; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
  }
  return true;
}
