import type mongoose from 'mongoose';
import type { Models } from '../../models';
import { addIndexKeys, removeIndexKeys } from '../../models/case-index';
import { updateIfNewer } from '../../models/connection';

type AnyModel = mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Write a case's projection at `version` (the record's fields that follow the workflow, and the
 * list index entries it appears under), unless the record already holds that version or a later
 * one. The new entries go in first and the old ones out before the record names the new ones: a
 * crash between steps leaves the record at its old version, so the retry reads the same old
 * entries and finishes the move; a late write of an older version changes nothing at all.
 * Resolves true if it wrote.
 */
export async function projectCase(
  models: Models,
  model: AnyModel,
  reference: string,
  version: number,
  fields: Record<string, unknown>,
  keys: string[],
): Promise<boolean> {
  const current = await model.findById(reference, { projectionVersion: 1, indexKeys: 1 }).lean<{ projectionVersion?: number; indexKeys?: string[] }>();
  if (!current || (current.projectionVersion ?? -1) >= version) return false;
  await moveIndexKeys(models, current.indexKeys ?? [], keys);
  return updateIfNewer(model, reference, 'projectionVersion', version, { ...fields, indexKeys: keys });
}

/** Add a case's new list index entries, then remove those it no longer has. */
export async function moveIndexKeys(models: Models, from: string[], to: string[]): Promise<void> {
  await addIndexKeys(models.CaseIndex, to);
  await removeIndexKeys(models.CaseIndex, from.filter((key) => !to.includes(key)));
}
