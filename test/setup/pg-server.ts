// vitest globalSetup: one PostgreSQL server per test run, shared by every test file through
// inject('pgAdminUrl'); each test makes its own database on it (test/helpers/pg-database.ts).

import type { TestProject } from 'vitest/node';
import { startPgServer } from '../helpers/pg-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer();
  project.provide('pgAdminUrl', server.adminUrl);
  return () => server.stop();
}
