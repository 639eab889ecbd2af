import { z } from '../../lib/zod';
import type { CaseRecord } from './deps';

/**
 * Where a case view's state came from. The read model (the record, written by the workflow's
 * projection after each committed change) answers at once; the workflow's own answer (a Query) is
 * added only when it comes within the budget (api/temporal.ts liveBudgetMs).
 */
export interface Freshness {
  /** True when the workflow answered in time: `live` and `state` are its own state now. */
  live: boolean;
  /** The workflow version the projection last wrote (-1: not projected yet, the case just opened). */
  projectionVersion: number;
  /** When the record last changed: its projection, or a field set beside it. */
  projectedAt: string | null;
  /** How long ago that was, in whole seconds, as the view was made. */
  projectionAgeSeconds: number | null;
}

export function freshnessOf(record: CaseRecord, live: boolean, now = Date.now()): Freshness {
  const at = record.updatedAt instanceof Date ? record.updatedAt : undefined;
  return {
    live,
    projectionVersion: typeof record.projectionVersion === 'number' ? record.projectionVersion : -1,
    projectedAt: at?.toISOString() ?? null,
    projectionAgeSeconds: at ? Math.max(0, Math.floor((now - at.getTime()) / 1000)) : null,
  };
}

/** The case views' fields for it (every process's detail schema extends with these). */
export const stateFields = {
  live: z.record(z.string(), z.unknown()).nullable().openapi({
    description: 'The workflow’s live state (a Temporal Query), only when it answered within the live-state budget (LIVE_STATE_BUDGET_MS, at most 150 ms); null otherwise, and for a finished case',
  }),
  state: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The live state when present, else the state last projected to the read model: what the case offers next' }),
  freshness: z
    .object({
      live: z.boolean(),
      projectionVersion: z.number(),
      projectedAt: z.string().nullable(),
      projectionAgeSeconds: z.number().nullable(),
    })
    .openapi('Freshness', { description: 'Whether live state is present, and how old the read model’s projection is' }),
};
