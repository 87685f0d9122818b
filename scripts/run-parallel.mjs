#!/usr/bin/env node
// npm test's checks before vitest (the build the spawned tests run, the type check, and whatever
// else is named) are independent single-threaded tools, so on a 2-CPU machine they run side by
// side instead of one after another. Each one's output is printed whole when it ends, so logs
// do not interleave; the exit code is the first failure's, else 0.
//
// Usage: node scripts/run-parallel.mjs <npm script> [<npm script> ...]

import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs <npm script> [...]');
  process.exit(2);
}

const npm = process.env.npm_execpath;
const runs = names.map(
  (name) =>
    new Promise((resolve) => {
      // Under npm, npm_execpath is npm's own CLI: run it with this node, as npm does for scripts.
      const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', name]] : ['npm', ['run', '--silent', name]];
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code, signal) => {
        process.stdout.write(`> ${name}: ${code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`}\n${out}`);
        resolve(code ?? 1);
      });
    }),
);
const codes = await Promise.all(runs);
process.exit(codes.find((code) => code !== 0) ?? 0);
