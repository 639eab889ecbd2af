import type mongoose from 'mongoose';
import { countRange, pageByKey, pageOfRanges, rangeOf, type KeyRange } from '../../models/case-index';
import { badRequest } from '../errors';
import { z } from '../../lib/zod';
import { cursorParam, encodeCursor, type Cursor } from './cursor';

/**
 * Every list pages by key: a page is read from the key the last one ended at (its `next`) or the
 * one the following began at (its `prev`), never by skipping, so a deep page costs what page 1
 * costs. `page=N` still answers as it did (it skips N-1 pages: its cost grows with N), for clients
 * of before; its answer carries the cursors to go on by key.
 */
export const pagingQuery = {
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1)
    .openapi({ description: 'Deprecated: the Nth page, by skipping the pages before it (slower the deeper it is). Follow `next` and `prev` instead; not with `cursor`.' }),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  cursor: cursorParam.optional(),
};

export interface PagingQuery {
  page: number;
  pageSize: number;
  cursor?: Cursor;
}

/** What every page's answer adds to its items (the OpenAPI document's page schemas). */
export const pageFields = {
  page: z.number().openapi({ description: 'Which page this is, counted from 1' }),
  pageSize: z.number(),
  next: z.string().nullable().openapi({ description: 'The cursor of the next page (`?cursor=`), null on the last' }),
  prev: z.string().nullable().openapi({ description: 'The cursor of the page before, null on the first' }),
};

export interface KeyedPage {
  keys: string[];
  page: number;
  pageSize: number;
  /** How many the list holds (a count of each range, from the index); absent when not counted. */
  total?: number;
  next: string | null;
  prev: string | null;
}

/** One page of the list made of `ranges` (in its order), as `query` asks: the first, a cursor's, or (deprecated) the Nth. */
export async function keyedPage(model: mongoose.Model<any>, ranges: KeyRange[], query: PagingQuery, opts: { count?: boolean } = {}): Promise<KeyedPage> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { cursor, pageSize } = query;
  if (cursor && query.page !== 1) throw badRequest('query.page', 'give a cursor or a page number, not both: a cursor knows its page');
  if (cursor && rangeOf(ranges, 'after' in cursor ? cursor.after : cursor.before) < 0) {
    throw badRequest('query.cursor', 'is not a position in this list (it belongs to another list or filter): leave it out for the first page');
  }
  let page = cursor?.page ?? query.page;
  let read: { keys: string[]; more: boolean; before: boolean };
  let total: number | undefined;
  if (!cursor && page > 1) {
    const skipped = await pageOfRanges(model, ranges, (page - 1) * pageSize, pageSize);
    read = { keys: skipped.keys, more: page * pageSize < skipped.total, before: true };
    total = skipped.total;
  } else {
    // Counted beside the page's read: each a count of a range, from the index.
    [read, total] = await Promise.all([
      pageByKey(model, ranges, cursor && ('after' in cursor ? { after: cursor.after } : { before: cursor.before }), pageSize),
      opts.count === false ? undefined : Promise.all(ranges.map((r) => countRange(model, r))).then((c) => c.reduce((x, y) => x + y, 0)),
    ]);
    // A page before the first full one is answered with the first page.
    if (cursor && 'before' in cursor && !read.before) page = 1;
  }
  const { keys } = read;
  return {
    keys,
    page,
    pageSize,
    total,
    next: read.more && keys.length ? encodeCursor({ after: keys.at(-1)!, page: page + 1 }) : null,
    prev: read.before && keys.length && page > 1 ? encodeCursor({ before: keys[0], page: page - 1 }) : null,
  };
}

/**
 * The same paging over a short list already read whole and in the list's order (a panel member's
 * own visits, a few a year): each entry placed by the range it is in (`at`) and its key.
 */
export function pageInMemory<T extends { at: number; key: string }>(placed: T[], ranges: KeyRange[], query: PagingQuery): { items: T[]; page: number; pageSize: number; total: number; next: string | null; prev: string | null } {
  const { cursor, pageSize } = query;
  if (cursor && query.page !== 1) throw badRequest('query.page', 'give a cursor or a page number, not both: a cursor knows its page');
  const key = cursor && ('after' in cursor ? cursor.after : cursor.before);
  const at = key === undefined ? -1 : rangeOf(ranges, key);
  if (key !== undefined && at < 0) throw badRequest('query.cursor', 'is not a position in this list (it belongs to another list or filter): leave it out for the first page');
  const from = (k: string) => placed.findIndex((p) => p.at > at || (p.at === at && p.key >= k));
  const atOrEnd = (i: number) => (i < 0 ? placed.length : i);
  let page = cursor?.page ?? query.page;
  let start = (page - 1) * pageSize;
  if (cursor && 'after' in cursor) start = atOrEnd(placed.findIndex((p) => p.at > at || (p.at === at && p.key > cursor.after)));
  if (cursor && 'before' in cursor) {
    const end = atOrEnd(from(cursor.before));
    start = end < pageSize ? 0 : end - pageSize;
    if (start === 0) page = 1;
  }
  const items = placed.slice(start, start + pageSize);
  return {
    items,
    page,
    pageSize,
    total: placed.length,
    next: start + pageSize < placed.length && items.length ? encodeCursor({ after: items.at(-1)!.key, page: page + 1 }) : null,
    prev: start > 0 && items.length ? encodeCursor({ before: items[0].key, page: Math.max(1, page - 1) }) : null,
  };
}
