/**
 * Preloaded into the benchmarked servers (`node --import ./test/bench/gc-probe.mjs`), never into
 * production: sums garbage-collection pauses (perf_hooks 'gc' entries) and, on SIGUSR2, writes the
 * totals with the process's CPU time to $BENCH_GC_FILE. The bench reads it before and after each load
 * run, so GC share = GC pause time / CPU time of that run. The server's own code stays untouched.
 */
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_GC_FILE;
if (file) {
  let gcMs = 0;
  let count = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      count++;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ gcMs, count, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage.rss(), at: Date.now() }));
  });
}
