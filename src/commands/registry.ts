// Every command, in the order `--help` lists them: its name and one line (all that the program's
// help and a mistyped command's "did you mean" need), and `spec`, which loads the rest from the
// command's folder (flags, help, options, run) only when the command line names the command.

import type { CommandSpec, Named } from './command-spec.js';

export interface CommandEntry extends Named {
  /** Its verbs are commands (`state export`): it has no flags of its own. */
  group?: true;
  spec(): Promise<CommandSpec>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'connect',
    description: 'check the Front token: company, inboxes, events access, rate limit',
    spec: async () => (await import('./connect/command.js')).connect,
  },
  {
    name: 'backfill',
    description: 'import every in-scope conversation with activity in a time window',
    spec: async () => (await import('./backfill/command.js')).backfill,
  },
  {
    name: 'sync',
    description: 'import what changed since the last sync (for cron)',
    spec: async () => (await import('./sync/command.js')).sync,
  },
  {
    name: 'status',
    description: 'show the cursor, recent runs, delivery totals and the last rate limit seen',
    spec: async () => (await import('./status/command.js')).status,
  },
  {
    name: 'config',
    aliases: ['doctor'],
    description: 'show the effective configuration, where each value comes from, and check it',
    spec: async () => (await import('./config/command.js')).config,
  },
  {
    name: 'replay',
    description: 'send the stored Highlights again, with no Front request (a new teamspace, a destination that lost data)',
    spec: async () => (await import('./replay/command.js')).replay,
  },
  {
    name: 'retry-refused',
    description: 'send again what a destination refused (after the receiver was fixed), with no Front request',
    spec: async () => (await import('./retry-refused/command.js')).retryRefused,
  },
  {
    name: 'state',
    description: 'move the state between a SQLite file and PostgreSQL (see --state)',
    group: true,
    spec: async () => (await import('./state/command.js')).state,
  },
  {
    name: 'sandbox',
    description: 'serve a simulated Front API on 127.0.0.1 to try front-import without an account',
    spec: async () => (await import('./sandbox/command.js')).sandbox,
  },
  {
    name: 'listen',
    description: 'receive Front webhooks and import the conversations they name',
    spec: async () => (await import('./listen/command.js')).listen,
  },
];
