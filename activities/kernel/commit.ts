import { ApplicationFailure } from '@temporalio/activity';
import { CalendarError } from '../../lib/calendar';
import { planRepeat } from '../../lib/deadlines';
import { closureDates } from '../../models';
import { duplicateRows, insertCast, insertCastMany, isDuplicateKey } from '../../models/connection';
import { enqueue } from '../../models/notification';
import { applyChange } from '../../workflows/kernel/change';
import type { Alarm, Deadline, TimelineEntry } from '../../contracts/kernel/case';
import type { CommitInput, CommitResult, RepeatRequest } from '../../contracts/kernel/commit';
import type { CaseActivityConfig } from './config';
import { indexCase } from '../../records/search/index';
import { projectFrom } from './project';

type Stored = { projectionVersion?: number; indexKeys?: string[]; changedKey?: string; searchKeys?: string[]; workflow?: object } & Record<string, unknown>;

/** A document keyed so that a retry finds it already there: inserted as its schema casts it, a duplicate is success. */
async function insertKeyed(model: CaseActivityConfig<{ reference: string }>['model'], doc: Record<string, unknown>): Promise<void> {
  try {
    await insertCast(model, doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** insertKeyed for several documents, in one round trip: those already there are kept. */
async function insertKeyedMany(model: CaseActivityConfig<{ reference: string }>['model'], docs: Record<string, unknown>[]): Promise<void> {
  if (docs.length < 2) return docs.length ? insertKeyed(model, docs[0]) : undefined;
  try {
    await insertCastMany(model, docs);
  } catch (err) {
    const duplicates = duplicateRows(err);
    if (!duplicates) throw err;
    // A duplicate that names no row (not the driver's shape for an unordered insert): whether the
    // others went in is unknown, so each row again on its own, a duplicate being success.
    if (duplicates === 'unnamed') for (const doc of docs) await insertKeyed(model, doc);
  }
}

/** A timeline row, keyed `reference:seq`. */
export function timelineRow(process: string, reference: string, entry: TimelineEntry) {
  return {
    _id: `${reference}:${entry.seq}`,
    caseType: process,
    reference,
    seq: entry.seq,
    type: entry.type,
    at: new Date(entry.at),
    ...(entry.actor && { actor: entry.actor }),
    data: entry.data,
  };
}

/**
 * One transition's writes, in one activity (see workflows/kernel/writes.ts): the record is read
 * once (its version, list entries, the state it holds, and what the outbox reads), then the
 * process's own rows (`beforeProject`: an action plan's actions), the timeline row, the projection
 * and list entries at the new version, the case's search entries (`search`), and the outbox rows.
 * The timeline and outbox rows are keyed (`reference:seq`, `reference:alarm`), the projection moves
 * forward only: a retry changes nothing.
 * A record at another version than the change was made from answers `gap` and writes nothing.
 * The outbox rows are dated by the transition's last entry.
 */
export function createCommit<S extends { reference: string; deadlines?: Partial<Record<string, Deadline>> }>(config: CaseActivityConfig<S>) {
  const { models, process, model } = config;
  return async function commit(input: CommitInput<S>): Promise<CommitResult> {
    const { reference, entries, version } = input;
    const reads = input.change || input.repeats || config.afterProject ? ['workflow'] : [];
    const fields = ['projectionVersion', 'indexKeys', 'changedKey', ...(config.search ? ['searchKeys'] : []), ...reads, ...(input.notify?.length ? (config.outboxReads ?? []) : [])];
    const record = await model.findById(reference, Object.fromEntries(fields.map((f) => [f, 1]))).lean<Stored>();
    const at = record?.projectionVersion ?? -1;
    let state: S | undefined;
    if (record && at < version) {
      if (input.state) state = input.state;
      else if (at === (input.base ?? version - entries.length) && record.workflow && input.change) state = applyChange(record.workflow as S, input.change);
      else return { gap: true };
    }
    const repeats = input.repeats && (await planRepeats(config, input.repeats, state, record));
    // The process's own rows first (an action plan's actions), so an entry names rows already written.
    if (state && record) await config.beforeProject?.(state, version, entries);
    await insertKeyedMany(models.Timeline, entries.map((entry) => timelineRow(process.name, reference, entry)));
    if (state && record) {
      // As projectCase does: the case's entry in the reconciler's list of changes moves to now, and
      // the record names the last entry written (entries 1..projectedSeq are committed).
      const projected = { version: at, indexKeys: record.indexKeys ?? [], changedKey: record.changedKey, searchKeys: record.searchKeys ?? [] };
      const seq = entries.at(-1)!.seq;
      await projectFrom(models, model, projected, { process: process.name, reference, version, seq, fields: config.project(state), keys: config.indexKeys(state) }, config.search);
    } else if (record && config.search) {
      // As projectCase does: the search index follows the record on every commit, written or not
      // (a retry after a crash between the projection and the index finishes the index).
      await indexCase(models, config.search, reference, { had: record.searchKeys ?? [] });
    }
    // A retry that finds the projection written still finishes what follows it, from the state written.
    const written = state ?? (record && at >= version ? (record.workflow as S | undefined) : undefined);
    if (written) await config.afterProject?.(written);
    const when = entries.at(-1)!.at;
    for (const alarm of input.notify ?? []) await writeOutbox(config, reference, alarm, when, record);
    return repeats ? { repeats } : {};
  };
}

/**
 * The next escalation of each deadline repeated until met: `workingDays` after the last went out,
 * with the closure days of today, joined to the state to project. A record already past this
 * version (a retry after it was written) answers the repeat it holds.
 */
async function planRepeats<S extends { deadlines?: Partial<Record<string, Deadline>> }>(
  config: CaseActivityConfig<S & { reference: string }>,
  requests: RepeatRequest[],
  state: S | undefined,
  record: Stored | null,
): Promise<string[]> {
  const closures = await closureDates(config.models);
  return requests.map((repeat) => {
    const held = (record?.workflow as S | undefined)?.deadlines?.[repeat.deadline]?.repeats?.at(-1);
    if (!state && held && held > repeat.after) return held;
    let next: string;
    try {
      next = planRepeat({ after: repeat.after, workingDays: repeat.workingDays }, closures);
    } catch (err) {
      if (err instanceof CalendarError) throw ApplicationFailure.nonRetryable(err.message, err.name);
      throw err;
    }
    const deadline = state?.deadlines?.[repeat.deadline];
    if (deadline) deadline.repeats = [...(deadline.repeats ?? []), next];
    return next;
  });
}

/** An outbox row for an alarm (once per case and alarm key), then queued for the mailer at `at`. */
export async function writeOutbox<S extends { reference: string }>(
  config: CaseActivityConfig<S>,
  reference: string,
  alarm: Alarm,
  at: string,
  record: Record<string, unknown> | null,
): Promise<void> {
  const id = `${reference}:${alarm.key}`;
  await insertKeyed(config.models.Notification, {
    _id: id,
    caseType: config.process.name,
    reference,
    kind: alarm.action,
    deadline: alarm.deadline,
    dueOn: alarm.dueOn,
    ...config.outbox(alarm, reference, record),
    createdAt: new Date(at),
  });
  // Then queued for the mailer (a retry after a crash between the two queues it the same).
  await enqueue(config.models.MailQueue, 'pending', new Date(at), id);
}
