// CPU time of a synchronous piece of work, for tests that bound how much work a rule does: the
// process's own user and system time, so other processes on a loaded machine (CI, the other vitest
// workers) do not count, as they would in wall time.

export function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const from = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(from);
  return { value, ms: (used.user + used.system) / 1000 };
}
