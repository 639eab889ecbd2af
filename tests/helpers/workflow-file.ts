import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { createHarness, eventually, type Harness } from './harness';
import { createTimeSkippingTemporal } from './env';
import { replayHistoryBytes } from './history';

/** A workflow test file on the time-skipping server, and what its tests do there. */
export interface TimeSkippingFile {
  harness(): Harness;
  /** Every workflow a test starts, terminated (and, under `npm run replay:record`, saved) when it ends. */
  started: WorkflowHandle[];
  /** Move the server's clock to just after an instant. */
  sleepPast(instant: string): Promise<void>;
  /**
   * The final state once the workflow has completed. Not handle.result(): while a client awaits a
   * result the test server skips time freely, to a timer of its own ten years on, which would push
   * later tests past the calendar's years. Time is moved with env.sleep instead, and the final
   * state read by a query.
   */
  finished<S>(handle: WorkflowHandle, state: QueryDefinition<S>): Promise<S>;
  /** A case's outbox, oldest first, as deadline:kind:audience. */
  sent(reference: string): Promise<string[]>;
}

/**
 * A workflow test file on the time-skipping server: its harness made before the tests and torn
 * down after, and every workflow a test started (pushed onto `started`) terminated when the test
 * ends, so a test that fails midway leaves no timers to fire in the next. Under
 * `npm run replay:record` each test's histories are saved for tests/replay as
 * `<prefix>-<test name>[-n].binpb`, decoded so they replay without this run's key: each handle's
 * latest run, or with `firstRun` the run it started with (a continued case's first run ends in
 * ContinuedAsNew).
 */
export function timeSkippingFile(name: string, prefix: string, opts: { firstRun?: boolean } = {}): TimeSkippingFile {
  let h: Harness | undefined;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    h = await createHarness(name, await createTimeSkippingTemporal());
  });
  afterEach(async () => {
    const handles = started.splice(0);
    await Promise.all(handles.map((handle) => handle.terminate('test over').catch(() => undefined)));
    if (process.env.RECORD_REPLAY_HISTORIES) await saveHistories(h!, prefix, handles, opts.firstRun ?? false);
  });
  afterAll(async () => {
    await h?.teardown();
  });
  return {
    harness: () => h!,
    started,
    async sleepPast(instant) {
      const ms = Date.parse(instant) - (await h!.env.currentTimeMs()) + 60_000;
      if (ms > 0) await h!.env.sleep(ms);
    },
    async finished(handle, state) {
      await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
      return handle.query(state);
    },
    async sent(reference) {
      const rows = await h!.models.Notification.find({ reference }).sort({ createdAt: 1, _id: 1 }).lean();
      return rows.map((n) => `${n.deadline}:${n.kind}:${n.audience}`);
    },
  };
}

async function saveHistories(h: Harness, prefix: string, handles: WorkflowHandle[], firstRun: boolean) {
  const name = (expect.getState().currentTestName ?? 'scenario').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);
  for (const [i, handle] of handles.entries()) {
    const file = path.join(__dirname, '../replay/histories', `${prefix}-${name}${i ? `-${i}` : ''}.binpb`);
    const run = firstRun && 'firstExecutionRunId' in handle ? h.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId as string) : handle;
    await writeFile(file, await replayHistoryBytes(run));
  }
}
