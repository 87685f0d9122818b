// Writes the program's help (`front-import --help`) into dist/bundle/help.txt, as the program built
// a moment ago renders it for output that is not a terminal: commander at 80 columns. The launcher
// (bin/front-import) prints it for `--help`, `-h`, `help` or no arguments when its output is not a
// terminal, without loading the program; test/cli/launcher.test.ts checks it is what the program prints.
import { writeFileSync } from 'node:fs';
import { runCli } from '../dist/cli/run-cli.js';

/** An output that is not a terminal, keeping what is written to it. */
function collected() {
  return {
    isTTY: false,
    text: '',
    write(s) {
      this.text += s;
      return true;
    },
  };
}

const stdout = collected();
const stderr = collected();
const code = await runCli(['--help'], { env: {}, cwd: process.cwd(), stdout, stderr, signal: new AbortController().signal });
if (code !== 0 || stderr.text !== '' || stdout.text === '') throw new Error(`front-import --help exited ${code}: ${stderr.text}`);
writeFileSync(new URL('../dist/bundle/help.txt', import.meta.url), stdout.text);
