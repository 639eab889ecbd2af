import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Models } from '../../models';
import { CQRG_MEETING_PLAN_UPDATE, PLAN_RECONCILER } from '../../contracts/cqrg-meeting/events';
import { CYCLE_WORDS } from '../../contracts/cqrg-meeting/vocabulary';
import { hashOf } from '../../records/kernel/claim';
import type { ReportingPlan } from '../../records/cqrg-meeting/plan';
import { meetingsBehindPlan } from '../../records/cqrg-meeting/replan';
import type { ProcessFinding } from '../kernel/reconcile';
import type { CycleFinding } from '../../contracts/cqrg-meeting/vocabulary';

/**
 * The meetings open and still to be held that a plan's change has not reached (the plan put while
 * the workflow service was away): each told what it is owed now, by the same Update as the plan's
 * put sends (contracts/cqrg-meeting/events.ts, PLAN_CHANGE). Its id is keyed by the meeting, what it
 * owes and the version it was read at: a retried activity sends it once, and a plan changed back to
 * an earlier one is sent again (a used Update id is answered from the run's history, not applied).
 * A meeting that refuses it (recorded, held, or owed just that already) has nothing left to do and
 * is no finding.
 */
export async function replanMeetings(models: Models, client: Client, plans: { providerCode: string; plan: ReportingPlan }[], today: string): Promise<ProcessFinding<CycleFinding>[]> {
  const findings: ProcessFinding<CycleFinding>[] = [];
  for (const { providerCode, plan } of plans) {
    for (const m of await meetingsBehindPlan(models, providerCode, plan, today)) {
      const updateId = `${CQRG_MEETING_PLAN_UPDATE.name}:reconciler:${hashOf({ reference: m.reference, reports: m.reports, version: m.version }).slice(0, 16)}`;
      try {
        await client.workflow.getHandle(m.workflowId).executeUpdate(CQRG_MEETING_PLAN_UPDATE, { args: [{ reports: m.reports, actor: PLAN_RECONCILER }], updateId });
        findings.push({ reference: m.reference, problem: 'meeting_reports_behind_plan', repaired: true, detail: CYCLE_WORDS.replannedByReconciler(providerCode, m.meetingOn) });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) continue; // refused: nothing left to change
        findings.push({ reference: m.reference, problem: 'meeting_reports_behind_plan', repaired: false, detail: CYCLE_WORDS.notReplanned(providerCode, m.meetingOn, err instanceof Error ? err.message : String(err)) });
      }
    }
  }
  return findings;
}
