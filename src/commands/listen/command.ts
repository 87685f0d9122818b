import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { port, toFlag } from '../flags.js';
import { DEST_ENV, FRONT_ENV, OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { ListenOptions } from './index.js';

export const listen = defineCommand<ListenOptions>({
  define(cmd) {
    cmd
      .addOption(new Option('--port <n>', 'port (default listen.port, 8787; 0 = any free port)').argParser(port))
      .option('--host <host>', 'interface to bind (default listen.host, 127.0.0.1)')
      .option('--path <path>', 'webhook path (default listen.path, /front/webhook)');
    toFlag(cmd).option('--insecure-no-verify', 'accept unsigned webhooks (testing only)');
  },
  options: (f) => ({ port: f.port, host: f.host, path: f.path, insecureNoVerify: Boolean(f.insecureNoVerify) }),
  load: async () => (await import('./index.js')).runListen,
  help: {
    examples: [
      'FRONT_WEBHOOK_SECRET=… front-import listen --to https://next.example.com/v1/highlights',
      'front-import listen --port 0 --insecure-no-verify   # local testing only',
      'curl -s 127.0.0.1:8787/metrics             # Prometheus metrics',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, 'FRONT_WEBHOOK_SECRET', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.lock],
  },
});
