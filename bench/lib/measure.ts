import { performance } from 'node:perf_hooks';
import type { CpuSnapshot } from './cpu';

/** One operation's wall time, and why it failed if it did. */
export interface Sample {
  ms: number;
  error?: string;
}

/** A workflow a phase started, and the case reference its timeline is written under. */
export interface Started {
  reference: string;
  workflowId: string;
}

export interface Phase {
  path: 'bare' | 'api';
  round: number;
  n: number;
  seconds: number;
  /** From the phase's end until the worker had run every started workflow's first activities. */
  catchUpSeconds?: number;
  latencies: number[];
  failures: string[];
  started: Started[];
  /** CPU ms each process used during the phase. */
  cpu: CpuSnapshot;
}

/** Runs op(0..n-1) with at most `concurrency` in flight; wall time and each op's latency. */
export async function runPool(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<string | undefined>,
): Promise<{ seconds: number; samples: Sample[] }> {
  const samples: Sample[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      let error: string | undefined;
      try {
        error = await op(i);
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      samples[i] = { ms: performance.now() - t0, error };
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { seconds: (performance.now() - t0) / 1000, samples };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export type Summary = ReturnType<typeof summarise>;

export function summarise(label: string, phases: Phase[]) {
  const n = phases.reduce((s, p) => s + p.n, 0);
  const failed = phases.reduce((s, p) => s + p.failures.length, 0);
  const seconds = phases.reduce((s, p) => s + p.seconds, 0);
  const latencies = phases.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const cpuPerCase: CpuSnapshot = {};
  for (const p of phases) for (const [name, ms] of Object.entries(p.cpu)) cpuPerCase[name] = (cpuPerCase[name] ?? 0) + ms / n;
  return {
    label,
    n,
    failed,
    seconds,
    /** Cases (workflows) opened per second: failed requests do not count. */
    rate: (n - failed) / seconds,
    /** The same, until the worker had also run their first activities (open + catch-up). */
    settledRate: (n - failed) / (seconds + phases.reduce((s, p) => s + (p.catchUpSeconds ?? NaN), 0)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    cpuPerCase,
  };
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

export function table(rows: Summary[], concurrency: number): string {
  const widths = [6, 5, 6, 11, 8, 8, 8, 8, 9];
  const out = [row(['path', 'n', 'failed', 'concurrency', 'seconds', 'rate/s', 'p50 ms', 'p95 ms', 'settled/s'], widths)];
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    const cells = [r.label, r.n, r.failed, concurrency, r.seconds.toFixed(2), r.rate.toFixed(1), r.p50.toFixed(1), r.p95.toFixed(1), r.settledRate.toFixed(1)];
    out.push(row(cells, widths));
  }
  return out.join('\n');
}

/** CPU ms per case by process, and in all, one row per path. */
export function cpuTable(rows: Summary[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.cpuPerCase)))];
  const widths = [6, ...names.map((n) => Math.max(8, n.length)), 8];
  const out = [row(['path', ...names, 'total'], widths), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) {
    const cells = names.map((n) => (r.cpuPerCase[n] ?? 0).toFixed(1));
    const total = Object.values(r.cpuPerCase).reduce((s, ms) => s + ms, 0);
    out.push(row([r.label, ...cells, total.toFixed(1)], widths));
  }
  return out.join('\n');
}

/** Failure messages grouped, most frequent first. */
export function grouped(failures: string[], limit = 5): string[] {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([message, count]) => `${count} × ${message}`);
}

export type Timing = { p50: number; p95: number };

/**
 * Each function `repeat` times after a warm-up, taking turns (api, driver, api, driver …) so that
 * whatever the servers are doing meanwhile (SQLite checkpointing after the seeding, say) falls
 * on both alike.
 */
export async function timeEach(repeat: number, ...fns: (() => Promise<unknown>)[]): Promise<Timing[]> {
  for (const fn of fns) await fn();
  const ms = fns.map(() => [] as number[]);
  for (let i = 0; i < repeat; i++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      ms[k].push(performance.now() - t0);
    }
  }
  return ms.map((m) => {
    m.sort((a, b) => a - b);
    return { p50: percentile(m, 50), p95: percentile(m, 95) };
  });
}
