import type { Client } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type mongoose from 'mongoose';
import type { Models } from '../../models';
import type { CaseProcess } from '../../contracts/kernel/case';
import type { TemporalCalls } from '../temporal';

/** The fields every case record has, whatever its process. */
export interface CaseRecord extends Record<string, unknown> {
  _id: string;
  status: string;
  workflowId: string;
  /** The list index entries it is under (models/case-index.ts). */
  indexKeys?: string[] | null;
  /** Its entry in the reconciler's list of changes (records/kernel/changes.ts). */
  changedKey?: string | null;
}

export interface CasesDeps<R extends CaseRecord, S> {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** The app's bounded calls to Temporal (see ../temporal.ts). */
  calls: TemporalCalls;
  /** The local closure days (a 15-second cache), passed to a workflow as it starts. */
  referenceData?: { closureDates(): Promise<string[]> };
  process: CaseProcess;
  /** The process's records, keyed by reference. */
  // Any model: its schema's casting and defaults apply; what is read back is typed R.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stateQuery: QueryDefinition<S>;
  /** What the record's workflow is started with, from the record. */
  workflowInput(record: R): Promise<unknown>;
  /**
   * The workflow's state as the record's projection holds it: a finished case's final state (see
   * revive), and the state an Update left, which it answers with a receipt (see ./case-event.ts).
   */
  projectedState(record: R): S | undefined;
}


/** A process's cases as sending an event reads them (api/kernel/case-event.ts); Cases is one. */
export interface CaseReader<R extends CaseRecord, S> {
  readonly deps: CasesDeps<R, S>;
  record(reference: string): Promise<R>;
  live(record: R): Promise<S | null>;
  timeline(reference: string): Promise<{ seq: number }[]>;
}
