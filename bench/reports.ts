/**
 * `npm run bench -- reports`: the annual reports at 10,000 and 100,000 complaints, through the
 * API: the KO41a return (JSON, CSV, the workbook) against the reg 18 complaints report of the
 * same year, measured in the same run as its baseline. Both read a year from the case index and
 * then its records by `_id`; the KO41a return reads more (every case closed, withdrawn or ended
 * from the year's first day on, and every open case), so an old year costs it more.
 *
 * Records are seeded as the reads bench seeds them (./lib/seed-complaints.ts: ten years of a
 * service, most completed, with their KO41a coding). Each query runs BENCH_REPORTS_REPEAT times
 * (10) after one warm-up, in turns; p50 and p95 are printed, and each one's p50 over the reg 18
 * report's p50 for the same year.
 *
 *   BENCH_REPORTS_SIZES (10000,100000)  BENCH_REPORTS_REPEAT (10)  BENCH_API (inline | process)  LOG_LEVEL (warn)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { financialYearOf } from '../api/reports/period';
import { londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { timeEach, type Timing } from './lib/measure';
import { seedComplaints } from './lib/seed-complaints';
import { Cleanups, startBenchStack } from './lib/stack';
import { runBench } from './lib/run';

const SIZES = (process.env.BENCH_REPORTS_SIZES ?? '10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPORTS_REPEAT ?? 10);
const API = process.env.BENCH_API === 'process' ? 'process' : 'inline';
const RUN = randomBytes(3).toString('hex');
const THIS_YEAR = financialYearOf(londonDate(Date.now()));
/** This financial year, and one eight years back (the KO41a return then reads eight years of closures). */
const YEARS = [THIS_YEAR, THIS_YEAR - 8];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const stack = await startBenchStack(env, { run: RUN, temporalStore: 'memory', api: API }, cleanups);
    const get = (path: string, accept = 'application/json') => async () => {
      const res = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: stack.authorization, accept } });
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return res.arrayBuffer();
    };
    console.log(`Oversight reports bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}; ${stack.describe.mongo}`);
    console.log(`  each query ${REPEAT} times after one warm-up, in turns; ms; ratio = p50 / the reg 18 report's p50 for the same year`);
    // Printed as each year is measured: a run cut short still says what it measured.
    console.log(`\n${'records'.padStart(8)}  ${'year'.padEnd(6)} ${'query'.padEnd(26)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'ratio'.padStart(6)}`);
    let seeded = 0;
    const total = Math.max(...SIZES);
    for (const size of SIZES) {
      const t0 = performance.now();
      await seedComplaints(stack, { run: RUN, from: seeded, to: size, total });
      seeded = size;
      console.log(`  (seeded ${size} complaints in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      for (const year of YEARS) {
        const queries: [string, () => Promise<unknown>][] = [
          ['reg 18 report (baseline)', get(`/api/reports/complaints?year=${year}`)],
          ['KO41a, JSON', get(`/api/reports/ko41a?year=${year}`)],
          ['KO41a, CSV', get(`/api/reports/ko41a?year=${year}`, 'text/csv')],
          ['KO41a, xlsx', get(`/api/reports/ko41a?year=${year}`, XLSX)],
        ];
        const timings: Timing[] = await timeEach(REPEAT, ...queries.map(([, fn]) => fn));
        const base = timings[0].p50;
        for (const [k, [name]] of queries.entries()) {
          const t = timings[k];
          console.log(`${String(size).padStart(8)}  ${String(year).padEnd(6)} ${name.padEnd(26)} ${t.p50.toFixed(1).padStart(8)} ${t.p95.toFixed(1).padStart(8)} ${(t.p50 / base).toFixed(2).padStart(6)}`);
        }
      }
    }
    return 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
