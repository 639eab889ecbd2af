// Rehearsal only: what every scenario shares: its context, its row in the table, timed requests.
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { percentile } from '../bench/lib/measure';
import { BENCH_PROCESSES } from '../bench/lib/processes';
import { send, type Answer } from '../chaos/requests';
import { londonDate } from '../lib/calendar';
import type { Models } from '../models';
import type { RehearsalStack } from './stack';

export interface Ctx {
  stack: RehearsalStack;
  models: Models;
  client: Client;
  /** Tags this run's cases apart from another run's on the same database. */
  run: string;
}

/** One scenario's line in the table: requests sent, answered 2xx, kept, kept twice, answered but not kept. */
export interface Row {
  scenario: string;
  ok: boolean;
  sent: number;
  acknowledged: number;
  stored: number;
  duplicates: number;
  lost: number;
  seconds: number;
  /** Anything else the scenario measured (latencies, ratios). */
  figures: Record<string, number | string>;
  /** What failed, plainly; empty when ok. */
  problems: string[];
  /** Why the scenario could not run here and now (it neither passed nor failed). */
  skipped?: string;
}

export type Scenario = { id: number; name: string; run: (ctx: Ctx) => Promise<Omit<Row, 'scenario' | 'seconds'>> };

export const today = () => londonDate(Date.now());

/** A complaint's body, told apart by its category (`<tag>-<i>`); received `daysAgo` calendar days ago. */
export function complaintBody(tag: string, i: number, receivedOn = today()): Record<string, unknown> {
  return { ...BENCH_PROCESSES[0].body(i, tag, receivedOn), receivedAt: receivedOn, category: `${tag}-${i}` };
}

export const is2xx = (a: Answer) => a.status >= 200 && a.status < 300;

/** send(), timed. */
export async function timed(url: string, body: object, key?: string): Promise<Answer & { ms: number }> {
  const t0 = performance.now();
  const answer = await send(url, body, key);
  return { ...answer, ms: performance.now() - t0 };
}

export function p50p95(ms: number[]): { p50: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)) };
}

/** Records of this run's `tag`, and how many categories appear more than once. */
export async function storedOf(models: Models, tag: string): Promise<{ stored: number; distinct: number; byCategory: Map<string, string[]> }> {
  const rows = await models.Complaint.find({ category: { $regex: `^${tag}-` } }, { _id: 1, category: 1 }).lean();
  const byCategory = new Map<string, string[]>();
  for (const r of rows) byCategory.set(String(r.category), [...(byCategory.get(String(r.category)) ?? []), r._id]);
  return { stored: rows.length, distinct: byCategory.size, byCategory };
}

/** Polls `fn` until it answers true or `ms` pass; returns the last answer. */
export async function eventually(fn: () => Promise<boolean>, ms: number, every = 1_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
