import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { choice, countList, port, positiveInt } from '../flags.js';
import { OUTPUT_ENV } from '../help.js';
import { PLANS } from '../../front-api/plans.js';
import { ExitCode } from '../../errors.js';
import { LIMITER_MODELS } from '../../sandbox/limiter-models.js';
import type { SandboxCommandOptions } from './index.js';

export const sandbox = defineCommand<SandboxCommandOptions>({
  // The sandbox reads no config: a broken .frontsyncrc must not stop a user trying the tool.
  context: 'bare',
  define(cmd) {
    cmd
      .addOption(new Option('--port <n>', 'port (default: a free one)').argParser(port))
      .option('--seed <seed>', 'workspace seed', '1')
      .addOption(new Option('--conversations <n>', 'how many conversations').argParser(positiveInt('--conversations')).default(200))
      .addOption(new Option('--days <n>', 'spread activity over the last N days').argParser(positiveInt('--days')).default(7))
      .addOption(
        new Option('--messages-per-conversation <n[,n...]>', 'messages in each conversation (default 1-12, mean 4); a list sets it per equal slice of the window, oldest first')
          .argParser(countList('--messages-per-conversation')),
      )
      .addOption(new Option('--plan <plan>', 'rate-limit plan: starter, professional or enterprise').argParser(choice(PLANS)).default('professional'))
      .addOption(new Option('--window-ms <ms>', 'rate window length (compress time for demos)').argParser(positiveInt('--window-ms')))
      .option('--error-rate <fraction>', 'answer this fraction of requests with 5xx', parseFloat)
      .addOption(new Option('--latency <ms>', 'added to every response').argParser(positiveInt('--latency')))
      .option('--no-rate-limit', 'serve without rate limits')
      .addOption(new Option('--limiter <model>', `how the rate limit counts: ${LIMITER_MODELS.join(', ')} (default fixed)`).argParser(choice(LIMITER_MODELS)))
      .option('--demo', 'run `backfill --since 7d` against the sandbox, then stop');
  },
  options: (f) => ({
    port: f.port,
    seed: f.seed,
    conversations: f.conversations,
    days: f.days,
    messagesPerConversation: f.messagesPerConversation,
    plan: f.plan,
    windowMs: f.windowMs,
    rateLimit: f.rateLimit,
    limiter: f.limiter,
    faults: { errorRate: f.errorRate, latencyMs: f.latency },
    demo: Boolean(f.demo),
  }),
  load: async () => (await import('./index.js')).runSandbox,
  help: {
    examples: [
      'front-import sandbox --port 4010           # then export the FRONT_API_URL and token it prints',
      'front-import sandbox --demo                # backfill against it once, then stop',
      'front-import sandbox --plan starter --error-rate 0.1 --latency 200',
      'front-import sandbox --no-rate-limit',
    ],
    env: OUTPUT_ENV,
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.interrupted, ExitCode.terminated],
  },
});
