import { LRUCache } from 'lru-cache';
import { closureDates, Models } from '../models';
import { HttpError } from './errors';

/** How stale the API's copy of providers and closure days may be. */
export const REFERENCE_DATA_TTL_MS = 15_000;

/**
 * Providers and local closure days as the API reads them on every new case, kept for a few
 * seconds: they change a few times a year, and a create then costs one read fewer each. A
 * provider deactivated, or a closure day added, applies to new cases within the TTL; concurrent
 * requests that find an entry expired share one read.
 */
export function createReferenceData(models: Models, ttlMs = REFERENCE_DATA_TTL_MS) {
  const providers = new LRUCache<string, { exists: boolean; active: boolean }>({
    max: 1_000,
    ttl: ttlMs,
    fetchMethod: async (code) => {
      const provider = await models.Provider.findById(code, { active: 1 }).lean();
      return { exists: !!provider, active: !!provider?.active };
    },
  });
  const closures = new LRUCache<'all', string[]>({ max: 1, ttl: ttlMs, fetchMethod: () => closureDates(models) });
  const all = new LRUCache<'all', { _id: string; name: string }[]>({
    max: 1,
    ttl: ttlMs,
    fetchMethod: () => models.Provider.find({ active: true }, { name: 1 }).sort({ _id: 1 }).lean<{ _id: string; name: string }[]>(),
  });
  return {
    async isActiveProvider(code: string): Promise<boolean> {
      return (await providers.fetch(code))!.active;
    },
    /**
     * Whether a provider is known, active or not (a deactivated provider's plans are still
     * followed up). Known is kept for the TTL; unknown is asked again each time, so a provider
     * just added is never refused.
     */
    async providerExists(code: string): Promise<boolean> {
      if ((await providers.fetch(code))!.exists) return true;
      return (await providers.fetch(code, { forceRefresh: true }))!.exists;
    },
    /** The active providers, by ODS code. */
    async providers(): Promise<{ _id: string; name: string }[]> {
      return (await all.fetch('all'))!;
    },
    async closureDates(): Promise<string[]> {
      return (await closures.fetch('all'))!;
    },
    /** Forget everything: the next request reads afresh (after an edit made in this process). */
    clear(): void {
      providers.clear();
      closures.clear();
      all.clear();
    },
  };
}

export type ReferenceData = ReturnType<typeof createReferenceData>;

/** 404 unless the provider is known, active or not (a deactivated provider's plans are still followed up). */
export async function requireProvider(referenceData: ReferenceData, code: string): Promise<void> {
  if (!(await referenceData.providerExists(code))) throw new HttpError(404, 'not_found', `no provider ${code}`);
}
