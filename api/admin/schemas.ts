import { z } from '../../lib/zod';

export const runReconciliationBody = z
  .object({
    process: z.enum(['complaint', 'review', 'visit', 'action-plan', 'cqrg-meeting']).default('complaint').openapi({ description: 'Whose records to reconcile (default complaint)' }),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .openapi({ description: 'Judge only what is older than this (default 120): a create or an event may still be under way' }),
    scope: z
      .enum(['full', 'changes'])
      .default('full')
      .openapi({ description: 'full (default): every record and running workflow; changes: what changed since the last scheduled run, and one slice of the day-long sweep, as a scheduled run does' }),
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
    scope: z.enum(['full', 'changes']).optional().openapi({ description: 'Absent on runs before scopes' }),
    window: z.object({ from: z.string(), until: z.string() }).optional().openapi({ description: 'The changes read (scope changes)' }),
    sweep: z.object({ from: z.string(), to: z.string(), size: z.number(), cycleDone: z.boolean() }).optional().openapi({ description: 'The records the sweep read: after from, up to to' }),
    cost: z
      .object({ changed: z.number(), swept: z.number(), examined: z.number(), queried: z.number(), described: z.number(), listed: z.number(), seconds: z.number() })
      .optional()
      .openapi({ description: 'Cases named by changes and swept, cases examined, workflows queried and described, visibility calls, seconds' }),
    deferred: z.number().optional().openapi({ description: 'Seen but younger than the grace period: not findings; looked at again next run' }),
    attempt: z.number().optional().openapi({ description: 'The attempt that finished the pass (1 unless a worker died or it failed)' }),
    resumedFrom: z.string().nullable().optional().openapi({ description: 'The checkpoint the finishing attempt resumed from (phase:reference)' }),
    explained: z.record(z.string(), z.string()).optional().openapi({ description: 'What each kind of finding here means, and what was done' }),
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
    periods: z.array(z.object({ caseType: z.string(), years: z.number().int().nullable(), closedOnOrBefore: z.string().nullable() })).openapi({ description: 'Each process’s period; years null: none configured, its documents are kept' }),
    cases: z.array(z.object({ reference: z.string(), caseType: z.string(), closedOn: z.string(), documents: z.number().int(), files: z.array(z.string()) })),
    orphans: z.object({ olderThan: z.string(), files: z.array(z.string()), chunksOf: z.array(z.string()) }),
    removed: z.object({ documents: z.number().int(), files: z.number().int(), orphanFiles: z.number().int(), orphanChunksOf: z.number().int() }),
  })
  .openapi('RetentionReport');
