// vitest globalSetup: one folder under the temp dir for the copies test helpers make once per worker
// process (the binary hard-linked where another user can run it, test/helpers/cli.ts; the PostgreSQL
// binaries where the postgres user can reach them, test/helpers/pg-server.mjs). Each worker removes
// its copy in an exit handler, but vitest ends its worker processes without running them, and every
// `npm test` left a few hundred megabytes in /tmp: the folder is removed here, once the run is over.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Read by the helpers; workers start after this setup, so they inherit it. */
const COPIES_VARIABLE = 'FRONT_IMPORT_TEST_COPIES';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'fi-copies-'));
  // The copies inside are for another user (postgres, the secrets suite's user): they must get in.
  chmodSync(dir, 0o755);
  process.env[COPIES_VARIABLE] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
