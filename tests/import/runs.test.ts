import { setTimeout as delay } from 'node:timers/promises';
import { GridFSBucket, ObjectId } from 'mongodb';
import { createModels, type Models } from '../../models';
import { HEARTBEAT_MS, ImportRuns, STALE_MS, type RunFile } from '../../api/import/runs';
import type { ImportReport } from '../../api/import/engine';
import { testDatabase } from '../helpers/env';

const database = testDatabase('import_runs');
let models: Models;
beforeAll(() => {
  models = createModels(database.db);
});

/**
 * A run's heartbeat stops before its report is written, and none lands after: FerretDB updates a
 * document by reading it whole and writing it back, so a heartbeat begun before the report's write
 * and ending after it put `running` (and the file's id) back over a finished 10,000-row run.
 */
test('a run’s heartbeat is quiet from the moment its report is written: the run stays finished', async () => {
  const bucket = new GridFSBucket(database.db.db!, { bucketName: 'imports' });
  const fileId = new ObjectId();
  await new Promise<void>((resolve, reject) => bucket.openUploadStreamWithId(fileId, 'complaints.csv').on('finish', () => resolve()).on('error', reject).end('sourceId\n'));
  const actor = { id: 'admin-1', name: 'Ada Admin' };
  const old = new Date(Date.now() - STALE_MS - 1_000);
  await models.ImportRun.create({ _id: 'run-heartbeat', file: 'complaints.csv', dryRun: true, status: 'running', startedAt: old, fileId, actor, progress: { done: 0, total: 0 }, heartbeatAt: old, attempts: 1 });
  let savedAt = 0;
  const finished = new Promise<void>((resolve) => {
    const run: RunFile = async (opts) => {
      // Long enough for heartbeats to beat, as a big file's rows would be.
      await delay(HEARTBEAT_MS + 500);
      await opts.beforeSave();
      savedAt = Date.now();
      await models.ImportRun.updateOne({ _id: opts.runId }, { $set: { status: 'finished', finishedAt: new Date() } });
      // The report written, the run still has a moment's work (the file removed, the record tidied).
      await delay(HEARTBEAT_MS + 500);
      resolve();
      return { runId: opts.runId } as ImportReport;
    };
    void new ImportRuns({ models, run }).resumeStale();
  });
  await finished;
  await delay(500);
  const record = await models.ImportRun.findById('run-heartbeat').lean();
  expect(record).toMatchObject({ status: 'finished', attempts: 2 });
  expect(new Date(record!.heartbeatAt!).getTime()).toBeLessThanOrEqual(savedAt);
}, 30_000);

/**
 * The minute's sweep for stopped runs ends with the API: `npm start` and the benches close the API
 * inside a process that goes on, and the sweep went on reading a closed database every minute
 * ("import runs not checked: Client must be connected").
 */
test('the sweep for stopped runs stops when the API closes', async () => {
  const imports = new ImportRuns({ models, run: async () => ({}) as ImportReport });
  const swept = jest.spyOn(imports, 'resumeStale').mockResolvedValue(undefined as never);
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  try {
    const closing = new AbortController();
    imports.watch(closing.signal);
    jest.advanceTimersByTime(STALE_MS);
    expect(swept).toHaveBeenCalledTimes(2); // at start, and a minute later
    closing.abort();
    jest.advanceTimersByTime(5 * STALE_MS);
    expect(swept).toHaveBeenCalledTimes(2);
  } finally {
    jest.useRealTimers();
  }
});
