/**
 * `npm run rehearsal`: the production shape on this machine (rehearsal/stack.ts: PostgreSQL, the
 * Temporal server and FerretDB on it, HAProxy before two APIs, two workers, two mailers, an SMTP
 * relay), then the scenarios of issue 30 against it, a table of their counts, and the same as JSON
 * (.rehearsal/results-<time>.json, or the path after --out). `--only 2,1` runs those scenarios.
 * Every process is stopped at the end, on failure, on Ctrl-C and on REHEARSAL_TIMEOUT_S (1200).
 * Exit 0 when every scenario passed, 1 when one did not, 2 on the time limit.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { setBearer } from '../chaos/requests';
import { createDataConverter } from '../lib/payload-codec';
import { createModels } from '../models';
import { connectDatabase } from '../models/connection';
import { seedReferenceData } from '../models/seed';
import { printTable } from './table';
import type { Row, Scenario } from './scenario';
import { SCENARIOS } from './scenarios';
import { RehearsalStack } from './stack';

const TIMEOUT_S = Number(process.env.REHEARSAL_TIMEOUT_S ?? 1200);
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = flag('--only')?.split(',').map(Number);
const repo = path.resolve(__dirname, '..');
const out = path.resolve(flag('--out') ?? path.join(repo, '.rehearsal', `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));

let stack: RehearsalStack | undefined;
let stopping: Promise<void> | undefined;
const down = () => (stopping ??= stack?.down() ?? Promise.resolve());

async function main(): Promise<number> {
  const started = performance.now();
  stack = await RehearsalStack.create();
  console.log(`rehearsal: files and logs in ${stack.dir}`);
  const steps: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<void>) => {
    const t0 = performance.now();
    process.stdout.write(`  ${name} … `);
    await fn();
    steps[name] = Math.round(performance.now() - t0) / 1000;
    console.log(`${steps[name]} s`);
  };
  const rows: Row[] = [];
  let connection: Connection | undefined;
  let db: Awaited<ReturnType<typeof connectDatabase>> | undefined;
  try {
    console.log('rehearsal: bringing the stack up');
    await stack.up(step);
    setBearer(stack.bearer);
    db = await connectDatabase(stack.mongoUri);
    await seedReferenceData(db);
    connection = await Connection.connect({ address: stack.temporal.address });
    const ctx = { stack, models: createModels(db), client: new Client({ connection, dataConverter: createDataConverter(stack.codecKeys) }), run: Date.now().toString(36) };
    const chosen: Scenario[] = only ? only.map((id) => SCENARIOS.find((s) => s.id === id)!).filter(Boolean) : SCENARIOS;
    for (const scenario of chosen) {
      console.log(`\n${scenario.id}. ${scenario.name}`);
      const t0 = performance.now();
      let row: Row;
      try {
        row = { scenario: `${scenario.id}. ${scenario.name}`, seconds: 0, ...(await scenario.run(ctx)) };
      } catch (err) {
        row = { scenario: `${scenario.id}. ${scenario.name}`, ok: false, sent: 0, acknowledged: 0, stored: 0, duplicates: 0, lost: 0, seconds: 0, figures: {}, problems: [`threw: ${err instanceof Error ? err.stack : String(err)}`] };
      }
      row.seconds = Math.round(performance.now() - t0) / 1000;
      console.log(`  ${row.ok ? 'ok' : 'FAIL'} in ${row.seconds} s ${JSON.stringify(row.figures)}`);
      for (const p of row.problems) console.log(`  problem: ${p}`);
      rows.push(row);
    }
  } finally {
    const seconds = Math.round(performance.now() - started) / 1000;
    printTable(rows);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), seconds, bringUp: steps, rows }, null, 2));
    console.log(`\nrehearsal: ${seconds} s; results in ${path.relative(process.cwd(), out)}`);
    await connection?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await down();
  }
  const passed = rows.length > 0 && rows.every((r) => r.ok);
  // The logs stay for a failed run; a passed one leaves nothing behind.
  if (passed && !process.env.REHEARSAL_KEEP) rmSync(stack.dir, { recursive: true, force: true });
  else console.log(`rehearsal: logs kept in ${stack.dir}`);
  return passed ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nrehearsal: ${signal}; stopping everything`);
    void down().finally(() => process.exit(130));
  });
}
const timer = setTimeout(() => {
  console.error(`rehearsal: still running after ${TIMEOUT_S} s; stopping everything`);
  void down().finally(() => process.exit(2));
}, TIMEOUT_S * 1000);

main().then(
  (code) => {
    clearTimeout(timer);
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    clearTimeout(timer);
    void down().finally(() => process.exit(1));
  },
);
