import { z } from '../../lib/zod';

export const runReconciliationBody = z
  .object({
    process: z.enum(['complaint', 'review', 'visit', 'action-plan']).default('complaint').openapi({ description: 'Whose records to reconcile (default complaint)' }),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .openapi({ description: 'Judge only what is older than this (default 120): a create or an event may still be under way' }),
  })
  .strict()
  .openapi('RunReconciliation');

const counts = z.record(z.string(), z.object({ found: z.number(), repaired: z.number() }));

export const reconciliationView = z
  .object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    checked: z.object({ records: z.number(), runningWorkflows: z.number(), timelineRows: z.number() }),
    counts,
    findings: z.array(z.object({ reference: z.string(), problem: z.string(), repaired: z.boolean(), detail: z.string() })),
  })
  .openapi('Reconciliation');

export const reconciliationList = z
  .object({ items: z.array(reconciliationView.omit({ findings: true })), latest: reconciliationView.nullable() })
  .openapi('ReconciliationList');

export const reconciliationStarted = z.object({ workflowId: z.string(), runId: z.string() }).openapi('ReconciliationStarted');

export type RunReconciliationBody = z.infer<typeof runReconciliationBody>;

export const runRetentionBody = z
  .object({
    dryRun: z.boolean().default(true).openapi({ description: 'List what would go and remove nothing (the default); false removes it' }),
  })
  .strict()
  .openapi('RunRetention');

export const retentionReport = z
  .object({
    dryRun: z.boolean(),
    ranAt: z.string(),
    periods: z.array(z.object({ caseType: z.string(), years: z.number().int(), closedOnOrBefore: z.string() })),
    cases: z.array(z.object({ reference: z.string(), caseType: z.string(), closedOn: z.string(), documents: z.number().int(), files: z.array(z.string()) })),
    orphans: z.object({ olderThan: z.string(), files: z.array(z.string()), chunksOf: z.array(z.string()) }),
    removed: z.object({ documents: z.number().int(), files: z.number().int(), orphanFiles: z.number().int(), orphanChunksOf: z.number().int() }),
  })
  .openapi('RetentionReport');
