import type { Models } from '../../models';
import { findByIds } from '../../models/case-index';

/** The names of the providers a batch of cases is about, by ODS code: searchable by name as by code. */
export async function providerNames(models: Models, codes: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => !!c))];
  const rows = await findByIds<{ _id: string; name: string }>(models.Provider, wanted, { _id: 1, name: 1 });
  return new Map(rows.map((p) => [p._id, p.name]));
}
