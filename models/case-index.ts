import { MongoNotConnectedError } from 'mongodb';
import mongoose, { Connection, Schema } from 'mongoose';
import { duplicateRows } from './connection';

/**
 * The list and dashboard index of every case process: one tiny document per list a case appears
 * in, whose `_id` is the list's sort key, e.g. `complaint|pst|RJ2|open|2026-12-01|CMP-2026-000123`
 * (the open complaints of provider RJ2, by next due date, then reference). A list page, a count
 * and a dashboard cell are then a range of `_id`, which every engine answers from its primary
 * index: MongoDB by itself, the embedded FerretDB with scripts/patches (it reads and decodes the
 * whole collection for any other filter). A case's record names its entries (`indexKeys`); the
 * projection moves them when the case moves (activities/kernel/case-activities.ts).
 *
 * Keys are made of characters that need no JSON escaping (letters, digits, `-`, `_`, `:`, `|`):
 * the patched FerretDB compares them as JSON text, which orders the same only then.
 */
const caseIndexSchema = new Schema({ _id: { type: String, required: true } }, { versionKey: false });

export function caseIndexModel(connection: Connection) {
  return connection.model('CaseIndexEntry', caseIndexSchema, 'case_index');
}

/**
 * The search index (records/search/): the same tiny documents in a collection of their own, so
 * its size is its own and a rebuild (`npm run reindex`) touches nothing the lists read.
 */
export function searchIndexModel(connection: Connection) {
  return connection.model('SearchIndexEntry', caseIndexSchema, 'search_index');
}

type CaseIndexModel = ReturnType<typeof caseIndexModel>;

/** Sorts after every character a key holds: the end of a prefix's range. */
export const KEY_END = '~';
/** Where a case with no next due date sorts: first, as MongoDB sorts null. */
export const NO_DATE = '0000-00-00';

const KEY_PART = /^[A-Za-z0-9_:-]*$/;

/** A key from its parts, refusing a part that could break the order (or another key's range). */
export function indexKey(...parts: string[]): string {
  for (const part of parts) if (!KEY_PART.test(part)) throw new Error(`index key part ${JSON.stringify(part)} is not [A-Za-z0-9_:-]`);
  return parts.join('|');
}

/**
 * A person's id (a staff id: any printable sign-in subject) as one part of a key: letters,
 * digits, `_` and `-` as they are, every other character as `:` and its code point in six hex
 * digits (`Sam.Officer` is `Sam:00002eOfficer`). One spelling per id and no two ids alike, so an
 * owner's range holds only theirs; the ids of before (a-z 0-9 _ -) keep the keys they had.
 */
export function idKeyPart(id: string): string {
  return [...id].map((c) => (/^[A-Za-z0-9_-]$/.test(c) ? c : `:${c.codePointAt(0)!.toString(16).padStart(6, '0')}`)).join('');
}

/** A half-open range of keys, in key order. */
export interface KeyRange {
  from: string;
  to: string;
}

/** Every key that starts with `prefix|`. */
export function prefixRange(prefix: string): KeyRange {
  return { from: `${prefix}|`, to: `${prefix}|${KEY_END}` };
}

const inRange = (r: KeyRange) => ({ _id: { $gte: r.from, $lt: r.to } });

/** Add entries; those already there are kept (a retry, or a concurrent writer of the same). */
export async function addIndexKeys(model: CaseIndexModel, keys: string[]): Promise<void> {
  if (!keys.length) return;
  try {
    // The driver's insertMany: mongoose's adds its bulk-write bookkeeping, on every new case.
    const docs: Record<string, unknown>[] = keys.map((_id) => ({ _id }));
    await model.collection.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!duplicateRows(err)) throw err;
  }
}

export async function removeIndexKeys(model: CaseIndexModel, keys: string[]): Promise<void> {
  if (keys.length) await model.deleteMany({ _id: { $in: keys } });
}

/** How many entries a range holds: a `count` on `_id`, answered from the index. */
export async function countRange(model: mongoose.Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
   range: KeyRange): Promise<number> {
  // The count command, not countDocuments: that is an aggregation, which FerretDB cannot push down.
  const db = model.db.db;
  if (!db) throw new MongoNotConnectedError('the database connection is not open');
  const result = await db.command({ count: model.collection.collectionName, query: inRange(range) });
  return Number(result.n);
}

/**
 * One page of a list made of consecutive ranges (a list whose filter is two stretches of the
 * order, say "no date, or not yet due"): the total, and the keys of entries skip..skip+limit.
 */
export async function pageOfRanges(model: mongoose.Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
   ranges: KeyRange[], skip: number, limit: number): Promise<{ total: number; keys: string[] }> {
  const counts = await Promise.all(ranges.map((r) => countRange(model, r)));
  const keys: string[] = [];
  let offset = skip;
  for (const [i, range] of ranges.entries()) {
    if (keys.length >= limit) break;
    if (offset >= counts[i]) {
      offset -= counts[i];
      continue;
    }
    const rows = await model.find(inRange(range), { _id: 1 }).sort({ _id: 1 }).skip(offset).limit(limit - keys.length).lean<{ _id: string }[]>();
    keys.push(...rows.map((r) => r._id));
    offset = 0;
  }
  return { total: counts.reduce((a, b) => a + b, 0), keys };
}

/** Where a page of a list starts: just after a key (the next page) or just before one (the previous). */
export type PagePosition = { after: string } | { before: string };

/** The index of the range that holds `key`, or -1. */
export const rangeOf = (ranges: KeyRange[], key: string) => ranges.findIndex((r) => key >= r.from && key < r.to);

/**
 * One page of a list made of consecutive ranges, by key rather than by skipping: page 340 reads
 * what page 1 reads. From the start, after a key or before one (a key the list holds, in one of its
 * ranges: see rangeOf), up to `limit` keys in the list's order, and whether the list goes on past
 * each end. Each range is read from the key on, `_id` sorted and limited (ascending, or descending
 * for the page before), which every engine, and the patched FerretDB, answers from the index.
 * A page before the first full one is the first page.
 */
export async function pageByKey(
  model: mongoose.Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  ranges: KeyRange[],
  at: PagePosition | undefined,
  limit: number,
): Promise<{ keys: string[]; more: boolean; before: boolean }> {
  const read = async (filter: Record<string, string>, order: 1 | -1, n: number) =>
    (await model.find({ _id: filter }, { _id: 1 }).sort({ _id: order }).limit(n).lean<{ _id: string }[]>()).map((r) => r._id);
  if (at && 'before' in at) {
    const keys: string[] = [];
    for (let i = rangeOf(ranges, at.before); i >= 0 && keys.length <= limit; i--) {
      const r = ranges[i];
      const upper = at.before < r.to && at.before >= r.from ? at.before : r.to;
      keys.push(...(await read({ $gte: r.from, $lt: upper }, -1, limit + 1 - keys.length)));
    }
    if (keys.length >= limit) return { keys: keys.slice(0, limit).reverse(), more: true, before: keys.length > limit };
    return pageByKey(model, ranges, undefined, limit);
  }
  const after = at?.after;
  const keys: string[] = [];
  for (let i = after === undefined ? 0 : rangeOf(ranges, after); i >= 0 && i < ranges.length && keys.length <= limit; i++) {
    const r = ranges[i];
    const lower: Record<string, string> = after !== undefined && after >= r.from && after < r.to ? { $gt: after } : { $gte: r.from };
    keys.push(...(await read({ ...lower, $lt: r.to }, 1, limit + 1 - keys.length)));
  }
  return { keys: keys.slice(0, limit), more: keys.length > limit, before: after !== undefined };
}

/** Every key of a range, in order: for a read of a whole stretch (a year of a report), not a page. */
export async function keysInRange(model: CaseIndexModel, range: KeyRange): Promise<string[]> {
  const rows = await model.find(inRange(range), { _id: 1 }).sort({ _id: 1 }).lean<{ _id: string }[]>();
  return rows.map((r) => r._id);
}

/** The reference a key ends with. */
export const referenceOf = (key: string) => key.slice(key.lastIndexOf('|') + 1);

/**
 * Records by `_id`, in the order asked: one `$in` on `_id`, which every engine answers from its
 * index; `fields` (a projection) to read only what is needed.
 */
export async function findByIds<R extends { _id: string }>(
  model: mongoose.Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  ids: string[],
  fields?: Record<string, 1>,
): Promise<R[]> {
  if (!ids.length) return [];
  const rows = await model.find({ _id: { $in: ids } }, fields).lean<R[]>();
  const byId = new Map(rows.map((r) => [r._id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
