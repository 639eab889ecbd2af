import type { Models } from '../../models';
import { findByIds } from '../../models/case-index';

/**
 * How long a provider's name is taken as read: names are reference data (ODS), renamed perhaps once
 * in years, and every search page and projection asks for them, a round trip each on its way.
 */
const NAMES_FOR_MS = 60_000;
const known = new WeakMap<Models, { at: number; names: Map<string, string> }>();

/** The names of the providers a batch of cases is about, by ODS code: searchable by name as by code. */
export async function providerNames(models: Models, codes: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => !!c))];
  let cached = known.get(models);
  if (!cached || Date.now() - cached.at > NAMES_FOR_MS) known.set(models, (cached = { at: Date.now(), names: new Map() }));
  const names = cached.names;
  const missing = wanted.filter((c) => !names.has(c));
  if (missing.length) for (const p of await findByIds<{ _id: string; name: string }>(models.Provider, missing, { _id: 1, name: 1 })) names.set(p._id, p.name);
  return new Map(wanted.flatMap((c) => (names.has(c) ? [[c, names.get(c)!] as const] : [])));
}
