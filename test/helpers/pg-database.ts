// A fresh database on the run's shared PostgreSQL server (started by test/setup/pg-server.ts).

import { inject } from 'vitest';
import { createDatabase } from './pg-server.mjs';

export function freshPgDatabase(): Promise<string> {
  return createDatabase(inject('pgAdminUrl'));
}
