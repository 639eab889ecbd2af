import type mongoose from 'mongoose';
import type { Models } from '../../models';
import { addIndexKeys, removeIndexKeys } from '../../models/case-index';
import { updateIfNewer } from '../../models/connection';
import { changedKey } from '../../records/kernel/changes';
import { indexCase, type SearchSource } from '../../records/search/index';

type AnyModel = mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One projection of a case: its workflow's committed version and timeline sequence, and what they put on the record. */
export interface Projection {
  process: string;
  reference: string;
  version: number;
  seq: number;
  fields: Record<string, unknown>;
  /** The list index entries the state puts the case under. */
  keys: string[];
}

/**
 * Write a case's projection at `version` (the record's fields that follow the workflow, and the
 * list index entries it appears under), unless the record already holds that version or a later
 * one. The new entries go in first and the old ones out before the record names the new ones: a
 * crash between steps leaves the record at its old version, so the retry reads the same old
 * entries and finishes the move; a late write of an older version changes nothing at all.
 * The case's entry in the reconciler's list of changes moves with them, to now; one left unnamed
 * by a crash or a lost race is removed by the reconciler when it reads it.
 * Then the case's entries in the search index follow its records (`search`: records/search/), on
 * every call, written or not: a retry after a crash between the projection and the index finishes
 * the index. Resolves true if it wrote.
 */
export async function projectCase(models: Models, model: AnyModel, p: Projection, search?: SearchSource): Promise<boolean> {
  const current = await model
    .findById(p.reference, { projectionVersion: 1, indexKeys: 1, changedKey: 1 })
    .lean<{ projectionVersion?: number; indexKeys?: string[]; changedKey?: string }>();
  if (!current) return false;
  return projectFrom(models, model, { version: current.projectionVersion ?? -1, indexKeys: current.indexKeys ?? [], changedKey: current.changedKey }, p, search);
}

/** The record as a projection finds it: its version, its list entries and its entry in the list of changes. */
export interface Projected {
  version: number;
  indexKeys: string[];
  changedKey?: string;
  /** The search entries the record names, if read with the rest (else the index reads them). */
  searchKeys?: string[];
}

/**
 * projectCase, from the record's version and entries as the caller has just read them (the
 * commit, activities/kernel/commit.ts). The search index follows on every call, written or not.
 */
export async function projectFrom(models: Models, model: AnyModel, current: Projected, p: Projection, search?: SearchSource): Promise<boolean> {
  const at = current.version;
  if (at >= p.version) {
    if (search) await indexCase(models, search, p.reference, { had: current.searchKeys });
    return false;
  }
  const named = current.indexKeys;
  const changed = changedKey(p.process, p.reference, new Date());
  // Entries a projected record names are there: each projection adds its entries before naming
  // them. The API names a new case's entries as it adds them, and may have died between the two,
  // so the first projection adds them all.
  const add = at < 1 ? p.keys : p.keys.filter((key) => !named.includes(key));
  await moveIndexKeys(models, current.changedKey ? [...named, current.changedKey] : named, [...add, changed], [...p.keys, changed]);
  const wrote = await updateIfNewer(model, p.reference, 'projectionVersion', p.version, { ...p.fields, indexKeys: p.keys, changedKey: changed, projectedSeq: p.seq }, at);
  if (search) await indexCase(models, search, p.reference, { had: current.searchKeys });
  return wrote;
}

/** Add a case's new list index entries (`add`), then remove those it had (`from`) and no longer has. */
export async function moveIndexKeys(models: Models, from: string[], add: string[], to: string[] = add): Promise<void> {
  await addIndexKeys(models.CaseIndex, add);
  await removeIndexKeys(models.CaseIndex, from.filter((key) => !to.includes(key)));
}
