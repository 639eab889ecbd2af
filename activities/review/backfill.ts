import type { Models } from '../../models';
import { addIndexKeys } from '../../models/case-index';
import { reviewProviderKey } from '../../records/review/lists';

/**
 * Once, after the CQRG pack's key (a review's provider, 2026-12-05): every review that names its
 * provider gets `review|prv|<provider>|<ref>`, which the API writes as it schedules one. Never
 * moved, so nothing to take out. A full scan of the reviews that name one: run it once. Safe to repeat.
 */
export async function backfillReviewProviderKeys(models: Models): Promise<{ checked: number; added: number }> {
  const records = await models.Review.find({ providerCode: { $type: 'string' } }, { providerCode: 1 }).lean<{ _id: string; providerCode: string }[]>();
  await addIndexKeys(models.CaseIndex, records.map((r) => reviewProviderKey(r.providerCode, r._id)));
  return { checked: records.length, added: records.length };
}
