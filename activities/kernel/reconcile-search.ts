import { findByIds } from '../../models/case-index';
import { changedAt } from '../../records/kernel/changes';
import { indexCase, searchKeysOf } from '../../records/search/index';
import type { Case, PassContext, SearchFacts } from './reconcile-context';
import type { ReconciledRecord } from './reconcile-sources';

/**
 * The case's entries in the search index against its records (a worker killed between the
 * projection and the index, or mid-move): what the records offer search now, the entries the
 * record names, and those entries being there. Judged only once its last write is older than the
 * grace period (a projection may be moving them); repaired by writing them again, all of them.
 */
export async function checkSearchIndex<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>): Promise<void> {
  const source = ctx.target.search;
  const facts = c.search ?? (c.record && due(ctx, c.record) ? (await searchFacts(ctx, [c.record])).get(c.reference) : undefined);
  if (!source || !facts) return;
  const { want, have, present } = facts;
  const sameNames = want.length === have.length && want.every((k) => have.includes(k));
  if (sameNames && present === want.length) return;
  await indexCase(ctx.models, source, c.reference, { all: true });
  ctx.report.add(c.reference, 'search_index_behind', true, `the records offer search ${want.length} entries; the record named ${have.length}${sameNames ? '' : ' others'}, ${present} were in the index`);
}

/** Judged only once its last write is older than the grace period (a projection may be moving its entries). */
function due<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, record: R): boolean {
  const lastWrite = record.changedKey ? changedAt(record.changedKey) : record.updatedAt;
  return !!lastWrite && lastWrite < ctx.settled;
}

/**
 * The search facts of a batch's cases, read together: the process's reader once, the records'
 * `searchKeys` once, the index by `_id` in slices: three reads a batch, not three a case.
 */
export async function searchFacts<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, records: R[]): Promise<Map<string, SearchFacts>> {
  const source = ctx.target.search;
  const judged = source ? records.filter((r) => due(ctx, r)).map((r) => r._id) : [];
  if (!source || !judged.length) return new Map();
  const [docs, named] = await Promise.all([source.read(ctx.models, judged), findByIds<{ _id: string; searchKeys?: string[] }>(source.model(ctx.models), judged, { searchKeys: 1 })]);
  const wants = new Map(docs.map((d) => [d.reference, searchKeysOf(d)]));
  const all = [...wants.values()].flat();
  const present = new Set<string>();
  for (let i = 0; i < all.length; i += 2000) {
    for (const row of await ctx.models.SearchIndex.find({ _id: { $in: all.slice(i, i + 2000) } }, { _id: 1 }).lean<{ _id: string }[]>()) present.add(row._id);
  }
  const names = new Map(named.map((n) => [n._id, n.searchKeys ?? []]));
  const facts = new Map<string, SearchFacts>();
  for (const [reference, want] of wants) {
    if (!names.has(reference)) continue;
    facts.set(reference, { want, have: names.get(reference)!, present: want.filter((k) => present.has(k)).length });
  }
  return facts;
}
