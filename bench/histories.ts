/**
 * `npm run bench -- histories [dir]`: what each transition of a case costs in history, from the
 * saved histories of real runs (tests/replay/histories, top level: today's code as last recorded,
 * or a subfolder: an earlier version). Per process and kind of transition (its opening, each
 * Update, an alarm): how many there are, and per transition the median and max of its events,
 * bytes, workflow tasks, activities, local activities and the payload bytes its activities were
 * given and gave back, and its Update's answer. No servers: it reads files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { byKind, type Transition } from './lib/history-counts';
import { percentile } from './lib/measure';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[3] ?? path.join(__dirname, '../tests/replay/histories'));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.binpb')).sort();
  const histories = await Promise.all(
    files.map(async (name) => ({ name, events: temporal.api.history.v1.History.decode(await readFile(path.join(dir, name))).events })),
  );
  const groups = byKind(histories);
  const fields: (keyof Transition)[] = ['events', 'bytes', 'workflowTasks', 'activities', 'localActivities', 'activityInputBytes', 'updateResultBytes'];
  const stat = (ts: Transition[], f: keyof Transition) => {
    const v = ts.map((t) => Number(t[f])).sort((a, b) => a - b);
    return `${percentile(v, 50)}/${v.at(-1)}`;
  };
  console.log(`${files.length} histories in ${path.relative(process.cwd(), dir) || '.'}; per transition, median/max`);
  console.log(['transition', 'n', ...fields].join('\t'));
  for (const [kind, ts] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log([kind, ts.length, ...fields.map((f) => stat(ts, f))].join('\t'));
  }
}

void main();
