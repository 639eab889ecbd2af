import type { Models } from '../../models';
import { indexCase, type SearchSource } from './index';

const BATCH = 200;
const AT_ONCE = 8;

/**
 * Rebuild the search index from the records (`npm run reindex`): every case of every source, in
 * `_id` order, a batch at a time, each brought up to its records by indexCase (keyed: safe to run
 * beside the projections, and again). `fresh`: the index is dropped and the records' `searchKeys`
 * cleared first, so entries no record names any more (left by a crash mid-move) go too.
 */
export async function reindex(models: Models, sources: SearchSource[], opts: { fresh?: boolean; log?: (line: string) => void } = {}): Promise<Record<string, number>> {
  if (opts.fresh) {
    await models.SearchIndex.deleteMany({});
    for (const source of sources) await source.model(models).updateMany({}, { $unset: { searchKeys: 1 } }, { timestamps: false });
  }
  const counts: Record<string, number> = {};
  for (const source of sources) {
    const model = source.model(models);
    let after = '';
    counts[source.process] = 0;
    for (;;) {
      const rows = await model.find({ _id: { $gt: after } }, { _id: 1 }).sort({ _id: 1 }).limit(BATCH).lean<{ _id: string }[]>();
      if (!rows.length) break;
      for (let i = 0; i < rows.length; i += AT_ONCE) await Promise.all(rows.slice(i, i + AT_ONCE).map((r) => indexCase(models, source, r._id, { all: true })));
      counts[source.process] += rows.length;
      after = rows[rows.length - 1]._id;
      opts.log?.(`${source.process}: ${counts[source.process]} cases`);
    }
  }
  return counts;
}
