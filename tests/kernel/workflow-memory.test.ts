/**
 * What one cached workflow costs the worker's heap, for a case opened through the API and one
 * brought over by the import. With Temporal's reusable V8 context every workflow instantiates the
 * bundle's modules for itself, except those preloaded (worker/bundle-options.ts); the event tables'
 * zod schemas made each workflow about 2 MB, so the worker's 2,000 cached workflows outgrew its heap
 * (issue 29: the import's worker ran out of heap after about 2,500 cases). The worker runs in debug
 * mode here so its workflows live in this process's heap, where they can be weighed.
 */
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { londonDate } from '../../lib/calendar';
import { planDeadline } from '../../lib/deadlines';
import { COMPLAINT, type ComplaintWorkflowInput } from '../../contracts/complaint/definitions';
import { caseWorkflowId } from '../../contracts/kernel/case';
import type { CommitResult } from '../../contracts/kernel/commit';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/bundle-options';
import { createTimeSkippingTemporal, testDataConverter } from '../helpers/env';
import { eventually } from '../helpers/harness';

/** Well above what a case's state and its share of the bundle take (about 0.2 MB), well below 2 MB. */
const MAX_MB_PER_WORKFLOW = 0.75;
const CASES = 40;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await createTimeSkippingTemporal();
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
});

afterAll(async () => {
  await env?.teardown();
});

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

test('a cached workflow, opened or imported, costs the heap its state, not its own copy of every schema', async () => {
  const taskQueue = `memory-${randomUUID()}`;
  let commits = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    dataConverter: testDataConverter(),
    // The workflows in this process (the reusable context, as in production), so the heap is theirs.
    debugMode: true,
    maxCachedWorkflows: 4 * CASES,
    activities: {
      async closureDays(): Promise<string[]> {
        return [];
      },
      async [`${COMPLAINT.name}.commit`](): Promise<CommitResult> {
        commits += 1;
        return {};
      },
    },
  });
  const today = londonDate(Date.now());
  const acknowledgement = planDeadline({ id: 'acknowledgement', from: today, workingDays: 3, calendar: 'statutory', remindWorkingDaysBefore: [0] });
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const input = (reference: string, imported: boolean): ComplaintWorkflowInput => ({
    reference,
    providerCode: 'RJ2',
    receivedOn: today,
    consentToShare: true,
    acknowledgement,
    ...(imported && {
      imported: { from: { file: 'cases.xlsx', sheet: 'complaints', row: 2, sourceId: `DX-${reference}` }, actFrom: tomorrow, at: { acknowledgedOn: today, lastUpdateOn: today } },
    }),
  });
  const open = async (prefix: string, n: number, imported: boolean) => {
    const before = commits;
    for (let i = 0; i < n; i++) {
      const reference = `${prefix}-${i}`;
      await env.client.workflow.start(COMPLAINT.workflowType, { workflowId: caseWorkflowId(COMPLAINT.name, reference), taskQueue, args: [input(reference, imported)] });
    }
    // Each case's opening written: its workflow has run its first task and waits, cached, on its timers.
    await eventually(async () => expect(commits - before).toBe(n), 60_000);
  };
  const perWorkflow: Record<string, number> = {};
  await worker.runUntil(async () => {
    await open('WARM', 2, false); // the shared context and the preloaded modules, made once
    let base = heapMiB();
    await open('OPENED', CASES, false);
    perWorkflow.opened = (heapMiB() - base) / CASES;
    base = heapMiB();
    await open('IMPORTED', CASES, true);
    perWorkflow.imported = (heapMiB() - base) / CASES;
  });
  expect(perWorkflow.opened).toBeLessThan(MAX_MB_PER_WORKFLOW);
  expect(perWorkflow.imported).toBeLessThan(MAX_MB_PER_WORKFLOW);
});
