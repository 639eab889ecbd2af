import { findByIds } from '../../models/case-index';
import { changedAt } from '../../records/kernel/changes';
import { indexCase, searchKeysOf } from '../../records/search/index';
import type { Case, PassContext } from './reconcile-context';
import type { ReconciledRecord } from './reconcile-sources';

/**
 * The case's entries in the search index against its records (a worker killed between the
 * projection and the index, or mid-move): what the records offer search now, the entries the
 * record names, and those entries being there. Judged only once its last write is older than the
 * grace period (a projection may be moving them); repaired by writing them again, all of them.
 */
export async function checkSearchIndex<S, R extends ReconciledRecord>(ctx: PassContext<S, R>, c: Case<R>): Promise<void> {
  const source = ctx.target.search;
  const record = c.record;
  if (!source || !record) return;
  const lastWrite = record.changedKey ? changedAt(record.changedKey) : record.updatedAt;
  if (!lastWrite || lastWrite >= ctx.settled) return;
  const [[doc], [named]] = await Promise.all([source.read(ctx.models, [c.reference]), findByIds<{ _id: string; searchKeys?: string[] }>(source.model(ctx.models), [c.reference], { searchKeys: 1 })]);
  if (!doc || !named) return;
  const want = searchKeysOf(doc);
  const have = named.searchKeys ?? [];
  const present = (await ctx.models.SearchIndex.find({ _id: { $in: want } }, { _id: 1 }).lean()).length;
  const sameNames = want.length === have.length && want.every((k) => have.includes(k));
  if (sameNames && present === want.length) return;
  await indexCase(ctx.models, source, c.reference, { all: true });
  ctx.report.add(c.reference, 'search_index_behind', true, `the records offer search ${want.length} entries; the record named ${have.length}${sameNames ? '' : ' others'}, ${present} were in the index`);
}
