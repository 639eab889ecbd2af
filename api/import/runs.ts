import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { GridFSBucket, ObjectId } from 'mongodb';
import type { Actor } from '../../contracts/kernel/case';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { badRequest, fromZodError, HttpError } from '../errors';
import { receiveFile } from '../documents/upload';
import { newRunId, type ImportReport } from './engine';
import { mappingText, type Mapping } from './mapping';
import { startImportFields, type ImportRunView } from './schemas';

/** Runs a file through the import (api/imports.ts importFile), from a path on this machine. */
export type RunFile = (opts: { file: string; dryRun: boolean; mapping?: Mapping; actor: Actor; runId: string; onProgress(p: { done: number; total: number }): void; beforeSave(): Promise<void> }) => Promise<ImportReport>;

/** How often a running run says it is alive, and how long without a word means its API process died. */
export const HEARTBEAT_MS = 5_000;
export const STALE_MS = 60_000;
/** The largest file the page takes. */
export const IMPORT_MAX_BYTES = 25_000_000;
/** The largest mapping file (a source's headings and words: a few kB). */
export const MAPPING_MAX_BYTES = 100_000;

/**
 * Runs of the import begun from the administrator's page: the file kept in GridFS (bucket
 * `imports`) and the run's record made before any row is read, then the run carried on in this
 * API process, its record's heartbeat and progress written every few seconds. If the process
 * dies, the run is taken over (resumeStale: at start-up, and whenever its record is read with a
 * heartbeat a minute old) and run again from the top: each row's key is its source id, so the
 * rows the dead process imported answer `already_imported` and none is opened twice. The file
 * (personal data) goes from GridFS when the run finishes; the report keeps source ids and reasons.
 */
export class ImportRuns {
  private opened?: GridFSBucket;
  private readonly mine = new Set<string>();

  constructor(private readonly deps: { models: Models; run: RunFile; logger?: Logger; now?: () => number }) {}

  private get bucket(): GridFSBucket {
    return (this.opened ??= new GridFSBucket(this.deps.models.connection.db!, { bucketName: 'imports' }));
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Keep the uploaded file, make the run's record, and begin it (not awaited): the record says how it goes. */
  async start(req: Request, actor: Actor, beforeFile?: (fields: Record<string, string>) => void): Promise<ImportRunView> {
    const fileId = new ObjectId();
    const uploaded = await receiveFile(req, this.bucket, fileId, IMPORT_MAX_BYTES, () => ({ by: actor.id }), beforeFile, { names: ['mapping'], maxBytes: MAPPING_MAX_BYTES });
    try {
      const fields = startImportFields.safeParse(Object.fromEntries(Object.entries(uploaded.fields).filter(([k]) => k !== '_form' && k !== 'mapping')));
      if (!fields.success) throw fromZodError(fields.error, 'body');
      const mapping = uploaded.fields.mapping === undefined ? undefined : mappingOf(uploaded.fields.mapping);
      if (!/\.(csv|xlsx)$/i.test(uploaded.filename)) throw badRequest('body.file', 'must be a workbook (.xlsx) or a CSV file named after its sheet (complaints.csv)');
      const startedAt = new Date(this.now());
      const runId = newRunId(startedAt);
      const dryRun = fields.data.mode === 'dry-run';
      await this.deps.models.ImportRun.create({ _id: runId, file: uploaded.filename, dryRun, status: 'running', startedAt, fileId, actor, ...(mapping && { mapping }), progress: { done: 0, total: 0 }, heartbeatAt: startedAt, attempts: 1 });
      this.carryOn(runId);
      return this.view(runId);
    } catch (err) {
      await this.bucket.delete(fileId).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Take over stopped runs now, and each minute after (unref'd: it keeps no process alive) until
   * `until` aborts (the API closing: its database is closed next). An API process started after
   * another died resumes its runs without waiting for anyone to look.
   */
  watch(until: AbortSignal): void {
    const sweep = () => void this.resumeStale().catch((err: unknown) => this.deps.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'import runs not checked'));
    sweep();
    const timer = setInterval(sweep, STALE_MS).unref();
    until.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  /** Recent runs, newest first, without their rows. */
  async list(limit = 20): Promise<ImportRunView[]> {
    await this.resumeStale();
    const runs = await this.deps.models.ImportRun.find({}, { rows: 0, sheets: 0 }).sort({ startedAt: -1 }).limit(limit).lean();
    return runs.map((r) => viewOf(r as RunRecord));
  }

  /** One run with its rows; a run whose process died is taken over first. */
  async view(id: string): Promise<ImportRunView> {
    await this.resumeStale(id);
    const run = await this.deps.models.ImportRun.findById(id).lean();
    if (!run) throw new HttpError(404, 'not_found', `no import run ${id}`);
    return viewOf(run as RunRecord);
  }

  /**
   * Take over the runs whose heartbeat is a minute old (their API process died), each claimed by
   * one process only (the heartbeat it read is the condition of the claim), and carry them on.
   */
  async resumeStale(id?: string): Promise<number> {
    const before = new Date(this.now() - STALE_MS);
    const stale = await this.deps.models.ImportRun.find({ ...(id && { _id: id }), status: 'running', heartbeatAt: { $lt: before } }, { heartbeatAt: 1 }).lean();
    let taken = 0;
    for (const run of stale) {
      if (this.mine.has(run._id)) continue;
      const claimed = await this.deps.models.ImportRun.updateOne({ _id: run._id, status: 'running', heartbeatAt: run.heartbeatAt }, { $set: { heartbeatAt: new Date(this.now()) }, $inc: { attempts: 1 } });
      if (claimed.modifiedCount !== 1) continue;
      this.deps.logger?.warn({ run: run._id }, 'import run taken over: the process running it stopped');
      this.carryOn(run._id);
      taken++;
    }
    return taken;
  }

  /** Run it here, beating as it goes; a failure to read the file ends the run as failed, saying why. */
  private carryOn(runId: string): void {
    this.mine.add(runId);
    void this.execute(runId)
      .catch(async (err: unknown) => {
        this.deps.logger?.error({ run: runId, err: err instanceof Error ? err.message : String(err) }, 'import run failed');
        await this.deps.models.ImportRun.updateOne({ _id: runId, status: 'running' }, { $set: { status: 'failed', finishedAt: new Date(this.now()), failure: err instanceof Error ? err.message : String(err) } }).catch(() => undefined);
      })
      .finally(() => this.mine.delete(runId));
  }

  private async execute(runId: string): Promise<void> {
    const run = (await this.deps.models.ImportRun.findById(runId).lean()) as RunRecord | null;
    if (!run?.fileId || run.status !== 'running') return;
    const dir = await mkdtemp(path.join(tmpdir(), 'oversight-import-run-'));
    let progress = { done: 0, total: 0 };
    // One heartbeat at a time, and none once the report is being written: FerretDB updates a
    // document by reading it whole and writing it back, so a heartbeat read before the report's
    // write and written after it would put back `running` and the file's id over the finished run
    // (a 10,000-row run's report was lost so, then taken over by its own process).
    let beating: Promise<unknown> = Promise.resolve();
    const beat = setInterval(() => {
      beating = beating.then(() => this.deps.models.ImportRun.updateOne({ _id: runId, status: 'running' }, { $set: { heartbeatAt: new Date(this.now()), progress } }).catch(() => undefined));
    }, HEARTBEAT_MS);
    const quiet = async () => {
      clearInterval(beat);
      await beating;
    };
    try {
      // The file keeps its name: a CSV file is the sheet its name says.
      const file = path.join(dir, path.basename(run.file));
      await pipeline(this.bucket.openDownloadStream(run.fileId), createWriteStream(file));
      await this.deps.run({ file, dryRun: run.dryRun, mapping: run.mapping, actor: run.actor, runId, onProgress: (p) => (progress = p), beforeSave: quiet });
      await this.bucket.delete(run.fileId).catch(() => undefined);
      await this.deps.models.ImportRun.updateOne({ _id: runId }, { $set: { progress }, $unset: { fileId: 1 } });
    } finally {
      await quiet();
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** A mapping file sent with the run (as text or a file part): JSON of the shape docs/import.md gives, or a 400 saying where it is wrong. */
function mappingOf(text: string): Mapping {
  const parsed = mappingText.safeParse(text);
  if (!parsed.success) throw fromZodError(parsed.error, 'body.mapping');
  return parsed.data;
}

interface RunRecord {
  _id: string;
  file: string;
  dryRun: boolean;
  status?: 'running' | 'finished' | 'failed';
  startedAt: Date;
  finishedAt?: Date;
  fileId?: ObjectId;
  mapping?: Mapping;
  actor: Actor;
  progress?: { done: number; total: number };
  attempts?: number;
  failure?: string;
  counts?: ImportReport['counts'];
  sheets?: ImportReport['sheets'];
  rows?: ImportReport['rows'];
}

function viewOf(r: RunRecord): ImportRunView {
  const status = r.status ?? 'finished';
  const rows = r.rows?.length ?? 0;
  return {
    id: r._id,
    file: r.file,
    dryRun: r.dryRun,
    ...(r.mapping && { mappedFrom: r.mapping.source }),
    status,
    startedAt: new Date(r.startedAt).toISOString(),
    ...(r.finishedAt && { finishedAt: new Date(r.finishedAt).toISOString() }),
    // A finished run has done every row, whatever its last heartbeat said.
    progress: status === 'finished' ? { done: rows, total: rows } : (r.progress ?? { done: 0, total: 0 }),
    attempts: r.attempts ?? 1,
    ...(r.failure && { failure: r.failure }),
    ...(r.counts && { counts: r.counts }),
    ...(r.sheets && { sheets: r.sheets }),
    ...(r.rows && { rows: r.rows }),
    report: `/api/imports/${encodeURIComponent(r._id)}/report.csv`,
  };
}
