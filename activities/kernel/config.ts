import type mongoose from 'mongoose';
import type { Models } from '../../models';
import type { SearchSource } from '../../records/search/index';
import type { Alarm, CaseProcess, TimelineEntry } from '../../contracts/kernel/case';

/** What an outbox row says beyond the alarm itself: who it is for, and its subject line. */
export interface OutboxFields {
  audience: string;
  subject: string;
  [field: string]: unknown;
}

export interface CaseActivityConfig<S extends { reference: string }> {
  models: Models;
  process: CaseProcess;
  /** The process's record collection, keyed by reference. */
  // Any model: its schema's casting and timestamps still apply to the projection's update.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The record's fields that follow the workflow's state: what lists filter and sort on. */
  project(state: S): Record<string, unknown>;
  /** The list index entries the state puts the case under (models/case-index.ts). */
  indexKeys(state: S): string[];
  /** The outbox row's audience and subject for an alarm, from the case's record. */
  outbox(alarm: Alarm, reference: string, record: Record<string, unknown> | null): OutboxFields;
  /** What the case offers search (records/<p>/search.ts): its entries follow each projection. */
  search?: SearchSource;
  /** The record's fields `outbox` reads (none by default: the record is not read). */
  outboxReads?: string[];
  /** The process's own rows a change writes before the projection (an action plan's actions). */
  beforeProject?(state: S, version: number, entries: TimelineEntry[]): Promise<void>;
  /** What a change asks for beyond the case's own rows, keyed, after the projection (a visit's action-plan request). */
  afterProject?(state: S): Promise<void>;
}
