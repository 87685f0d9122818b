// Loaded into a measured child with `node --import`: on exit, writes the process's own CPU time and
// peak RSS (process.resourceUsage) to $FRONT_IMPORT_BENCH_USAGE, so the bench needs no /usr/bin/time.

import { writeFileSync } from 'node:fs';

const target = process.env.FRONT_IMPORT_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS }));
  });
}
