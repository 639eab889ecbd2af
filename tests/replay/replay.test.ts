import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/bundle-options';
import { quietRuntime, testDataConverter } from '../helpers/env';

/**
 * Saved histories of real runs (recorded with `npm run replay:record`) replayed
 * through today's workflow code: a change that breaks determinism for a case
 * already in flight fails here, before it reaches a running worker.
 */
const dir = path.join(__dirname, 'histories');

test('every saved history replays against the current workflow code', async () => {
  quietRuntime();
  // Subfolders keep histories of earlier workflow versions (queued-activities/: before
  // LOCAL_ACTIVITIES_PATCH; local-activities/: before COMMITTED_WRITES_PATCH; writes-after-commit/:
  // before the kernel, reg 2's calendar and the acknowledgement's reminder; before-2009-regulations/:
  // before consent could be withdrawn at any time and the Ombudsman stage; before-kernel-reconciler/:
  // each process's reconciler workflow type, scheduled and run at once, before reconcileCasesWorkflow;
  // before-visit-held-on-its-date/: visits before HELD_ON_ITS_DATE_PATCH; before-evidence-review/:
  // action plans before the chair accepted or returned each action's evidence; before-late-open/:
  // every process before a case opened late dropped the reminders whose day had gone by;
  // before-complaint-regs/: complaints before reg 13(2)'s written record, reg 14(2)'s signed
  // response, reg 5's representative decision and reg 7's tracked transfer; before-resumable-pass/:
  // the kernel's reconciler before RESUMABLE_PASS_PATCH; before-one-write/: every process before
  // KERNEL_ONE_WRITE_PATCH, one activity per write, the whole state handed to each and answered by
  // each Update; before-one-write-regs/: complaints with those regulations, before the one write;
  // one-write-before-complaint-regs/: complaints on the one write, before those regulations), which
  // cases and runs still open from then must keep replaying.
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.binpb')).sort();
  expect(files.filter((f) => f.startsWith('complaint-')).length).toBeGreaterThanOrEqual(5);
  // Six-month reviews (workflows/review): due, overdue with repeats, rescheduled, cancelled, scheduled late.
  expect(files.filter((f) => f.startsWith('review-')).length).toBeGreaterThanOrEqual(5);
  // Provider insight visits (workflows/visit): on time, postponed, provider silent, late draft report, unannounced, cancelled.
  expect(files.filter((f) => f.startsWith('visit-')).length).toBeGreaterThanOrEqual(5);
  // CQRG action plans (workflows/action-plan): reminders, overdue with repeats, re-dated, signed off, continued as new.
  expect(files.filter((f) => f.startsWith('action-plan-')).length).toBeGreaterThanOrEqual(5);
  // The kernel's reconciler (workflows/kernel/reconcile.ts) over each process, its scheduled scope and the full one.
  expect(files.filter((f) => f.startsWith('reconcile-cases-')).length).toBeGreaterThanOrEqual(4);
  // Cases opened mid-process by an import (each process's imported path): a complaint, a review, an action plan, a visit.
  expect(files.filter((f) => f.startsWith('import-')).length).toBeGreaterThanOrEqual(4);
  for (const version of [
    'queued-activities',
    'local-activities',
    'writes-after-commit',
    'before-2009-regulations',
    'before-kernel-reconciler',
    'before-visit-held-on-its-date',
    'before-evidence-review',
    'before-late-open',
    'before-complaint-regs',
    'before-resumable-pass',
    'before-one-write',
    'before-one-write-regs',
    'one-write-before-complaint-regs',
  ]) {
    expect(files.filter((f) => f.startsWith(`${version}${path.sep}`)).length).toBeGreaterThanOrEqual(5);
  }
  // Saved decoded (tests/helpers/history.ts), they replay through the codec as it is: a payload
  // that was never encrypted passes through it unchanged.
  async function* histories() {
    for (const file of files) {
      yield { workflowId: file, history: temporal.api.history.v1.History.decode(await readFile(path.join(dir, file))) };
    }
  }
  const failures: string[] = [];
  let replayed = 0;
  // Bundled as the worker bundles them: the preloaded modules shared and frozen, as in production.
  const options = { workflowsPath: require.resolve('../../workflows'), bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules }, dataConverter: testDataConverter() };
  for await (const result of Worker.runReplayHistories(options, histories())) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
