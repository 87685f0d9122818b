// Run as a child by test/cli/startup-imports.test.ts (after `npm run build`): runs command lines
// through the built program, one after another in this one process, and prints as JSON which
// modules each had made Node load by the time it finished (cumulative: modules stay loaded).
//   node startup-imports.mjs <log file> <work dir>

import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { Writable } from 'node:stream';
import { startupEnv } from './startup-env.mjs';

const [logFile, dir] = process.argv.slice(2);
register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { file: logFile } });

const loaded = () => [...new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean))];
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const report = {};

// The program over memory streams, as main runs it (`--version` the launcher answers itself).
const { runCli } = await import('../../dist/cli/run-cli.js');
const env = startupEnv(dir);
const run = async (args) => {
  const code = await runCli(args, { env, cwd: dir, stdout: sink(), stderr: sink(), signal: new AbortController().signal });
  if (code !== 0) throw new Error(`front-import ${args.join(' ')} exited ${code}`);
  report[args.join(' ')] = loaded();
};
await run(['--help']);
await run(['backfill', '--help']);
await run(['status']);
process.stdout.write(JSON.stringify(report));
