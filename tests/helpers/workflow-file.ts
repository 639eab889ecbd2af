import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { createHarness, type Harness } from './harness';
import { createTimeSkippingTemporal } from './env';
import { replayHistoryBytes } from './history';

/**
 * A workflow test file on the time-skipping server: its harness made before the tests and torn
 * down after, and every workflow a test started (pushed onto `started`) terminated when the test
 * ends, so a test that fails midway leaves no timers to fire in the next. Under
 * `npm run replay:record` each test's histories are saved for tests/replay as
 * `<prefix>-<test name>[-n].binpb`, decoded so they replay without this run's key.
 */
export function timeSkippingFile(name: string, prefix: string): { harness: () => Harness; started: WorkflowHandle[] } {
  let h: Harness | undefined;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    h = await createHarness(name, await createTimeSkippingTemporal());
  });
  afterEach(async () => {
    const handles = started.splice(0);
    await Promise.all(handles.map((handle) => handle.terminate('test over').catch(() => undefined)));
    if (process.env.RECORD_REPLAY_HISTORIES) await saveHistories(prefix, handles);
  });
  afterAll(async () => {
    await h?.teardown();
  });
  return { harness: () => h!, started };
}

async function saveHistories(prefix: string, handles: WorkflowHandle[]) {
  const name = (expect.getState().currentTestName ?? 'scenario').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);
  for (const [i, handle] of handles.entries()) {
    const file = path.join(__dirname, '../replay/histories', `${prefix}-${name}${i ? `-${i}` : ''}.binpb`);
    await writeFile(file, await replayHistoryBytes(handle));
  }
}
