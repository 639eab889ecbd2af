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
  if (!current) return false;
  return projectFrom(models, model, reference, { version: current.projectionVersion ?? -1, indexKeys: current.indexKeys ?? [] }, version, fields, keys);
}

/** projectCase, from the record's version and entries as the caller has just read them. */
export async function projectFrom(
  models: Models,
  model: AnyModel,
  reference: string,
  current: { version: number; indexKeys: string[] },
  version: number,
  fields: Record<string, unknown>,
  keys: string[],
): Promise<boolean> {
  const at = current.version;
  if (at >= version) return false;
  const named = current.indexKeys;
  // Entries a projected record names are there: each projection adds its entries before naming
  // them. The API names a new case's entries as it adds them, and may have died between the two,
  // so the first projection adds them all.
  await moveIndexKeys(models, named, at < 1 ? keys : keys.filter((key) => !named.includes(key)), keys);
  return updateIfNewer(model, reference, 'projectionVersion', version, { ...fields, indexKeys: keys }, at);
}

/** Add a case's new list index entries (`add`), then remove those it had (`from`) and no longer has. */
export async function moveIndexKeys(models: Models, from: string[], add: string[], to: string[] = add): Promise<void> {
  await addIndexKeys(models.CaseIndex, add);
  await removeIndexKeys(models.CaseIndex, from.filter((key) => !to.includes(key)));
}
